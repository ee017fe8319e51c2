package sqlsplit

import (
	"reflect"
	"testing"
)

func TestLeadingWords(t *testing.T) {
	tests := []struct {
		sql  string
		d    Dialect
		n    int
		want []string
	}{
		{"BEGIN", Postgres, 3, []string{"BEGIN"}},
		{"begin transaction isolation level serializable", Postgres, 3, []string{"begin", "transaction", "isolation"}},
		{"  -- c\n BEGIN /* x */ WORK", Postgres, 2, []string{"BEGIN", "WORK"}},
		{"BEGIN /* a /* nested */ b */ ATOMIC", Postgres, 2, []string{"BEGIN", "ATOMIC"}},
		{"BEGIN /* a /* flat */ ATOMIC", SQLite, 2, []string{"BEGIN", "ATOMIC"}},
		{`ROLLBACK TO "sp"`, Postgres, 3, []string{"ROLLBACK", "TO"}},
		{"COMMIT PREPARED 'x'", Postgres, 3, []string{"COMMIT", "PREPARED"}},
		{"SELECT E'x'", Postgres, 3, []string{"SELECT"}},
		{"X'00'", SQLite, 3, nil},
		{"1 + 1", Postgres, 3, nil},
		{"(SELECT 1)", Postgres, 3, nil},
		{"END;", SQLite, 3, []string{"END"}},
		{"BEGIN /* unterminated", Postgres, 3, []string{"BEGIN"}},
		{"", Postgres, 3, nil},
		{"a b c d", Postgres, 0, nil},
	}
	for _, tt := range tests {
		if got := LeadingWords(tt.sql, tt.d, tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LeadingWords(%q, %s, %d) = %q, want %q", tt.sql, tt.d, tt.n, got, tt.want)
		}
	}
}
