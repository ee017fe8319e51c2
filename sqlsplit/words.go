package sqlsplit

// LeadingWords returns up to n bare words at the start of sql (typically
// a [Statement]'s SQL), as written: whitespace and comments between them
// are skipped, and the first token that is not a bare word (a quoted
// name or string, a number, punctuation) ends the list. A caller that
// classifies statements by their keywords compares the words with
// strings.EqualFold.
//
//	LeadingWords("BEGIN /* x */ TRANSACTION ISOLATION LEVEL", Postgres, 2) = ["BEGIN", "TRANSACTION"]
//	LeadingWords(`ROLLBACK TO "sp"`, Postgres, 3)                           = ["ROLLBACK", "TO"]
func LeadingWords(sql string, d Dialect, n int) []string {
	var words []string
	for i := 0; i < len(sql) && len(words) < n; {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			i = skipLineComment(sql, i)
			continue
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end, ok := skipBlockComment(sql, i, d == Postgres)
			if !ok {
				return words
			}
			i = end
			continue
		case !isWordStart(c) || c >= '0' && c <= '9':
			return words
		}
		j := i + 1
		for j < len(sql) && isWordChar(sql[j]) {
			j++
		}
		if j < len(sql) && sql[j] == '\'' {
			return words // E'...', X'...', N'...': a string, not a word
		}
		words = append(words, sql[i:j])
		i = j
	}
	return words
}
