package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/migratehq/migrate/schema"
)

var pgProKinds = map[string]string{
	"f": schema.KindFunction,
	"p": schema.KindProcedure,
	"a": schema.KindAggregate,
	"w": schema.KindWindow,
}

func (st *pgState) readFunctions(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgFunctionsQuery, func(r *sql.Rows) error {
		var (
			oid       uint32
			kind, agg string
			f         = &schema.Function{}
		)
		if err := r.Scan(&oid, &f.Schema, &f.Name, &kind, &f.Args, &f.Result, &f.Language, &f.Definition,
			&f.Comment, &agg); err != nil {
			return err
		}
		f.Kind = pgProKinds[kind]
		f.FromExtension = st.extOf("pg_proc", oid)
		if kind == "a" {
			def, err := pgAggregateDef(f, agg)
			if err != nil {
				return err
			}
			f.Definition = def
		}
		st.funcs[oid] = f
		st.s.Functions = append(st.s.Functions, f)
		return nil
	})
}

// pgAggregate is what pgFunctionsQuery reads of an aggregate.
type pgAggregate struct {
	Args         string  `json:"args"`
	Kind         string  `json:"kind"`
	SFunc        string  `json:"sfunc"`
	SType        string  `json:"stype"`
	SSpace       int     `json:"sspace"`
	FinalFunc    string  `json:"finalfunc"`
	FinalExtra   bool    `json:"finalextra"`
	FinalModify  string  `json:"finalmodify"`
	CombineFunc  string  `json:"combinefunc"`
	SerialFunc   string  `json:"serialfunc"`
	DeserialFunc string  `json:"deserialfunc"`
	InitCond     *string `json:"initcond"`
	MSFunc       string  `json:"msfunc"`
	MInvFunc     string  `json:"minvfunc"`
	MSType       string  `json:"mstype"`
	MSSpace      int     `json:"msspace"`
	MFinalFunc   string  `json:"mfinalfunc"`
	MFinalExtra  bool    `json:"mfinalextra"`
	MFinalModify string  `json:"mfinalmodify"`
	MInitCond    *string `json:"minitcond"`
	SortOp       string  `json:"sortop"`
	Parallel     string  `json:"parallel"`
}

// pgAggregateDef builds the CREATE AGGREGATE statement of an aggregate
// from its pg_aggregate row (PostgreSQL has no pg_get_aggregatedef).
func pgAggregateDef(f *schema.Function, text string) (string, error) {
	var a pgAggregate
	if err := decodeJSON(text, &a); err != nil {
		return "", err
	}
	args := a.Args
	if args == "" {
		args = "*"
	}
	var opts []string
	add := func(k, v string) {
		if v != "" {
			opts = append(opts, k+" = "+v)
		}
	}
	add("SFUNC", a.SFunc)
	add("STYPE", a.SType)
	if a.SSpace != 0 {
		add("SSPACE", fmt.Sprint(a.SSpace))
	}
	add("FINALFUNC", a.FinalFunc)
	if a.FinalExtra {
		opts = append(opts, "FINALFUNC_EXTRA")
	}
	defModify := "r"
	if a.Kind != "n" {
		defModify = "w"
	}
	if a.FinalFunc != "" && a.FinalModify != defModify {
		add("FINALFUNC_MODIFY", pgModify[a.FinalModify])
	}
	add("COMBINEFUNC", a.CombineFunc)
	add("SERIALFUNC", a.SerialFunc)
	add("DESERIALFUNC", a.DeserialFunc)
	if a.InitCond != nil {
		add("INITCOND", pgLiteral(*a.InitCond))
	}
	add("MSFUNC", a.MSFunc)
	add("MINVFUNC", a.MInvFunc)
	add("MSTYPE", a.MSType)
	if a.MSSpace != 0 {
		add("MSSPACE", fmt.Sprint(a.MSSpace))
	}
	add("MFINALFUNC", a.MFinalFunc)
	if a.MFinalExtra {
		opts = append(opts, "MFINALFUNC_EXTRA")
	}
	if a.MFinalFunc != "" && a.MFinalModify != defModify {
		add("MFINALFUNC_MODIFY", pgModify[a.MFinalModify])
	}
	if a.MInitCond != nil {
		add("MINITCOND", pgLiteral(*a.MInitCond))
	}
	if a.SortOp != "" {
		add("SORTOP", "OPERATOR("+a.SortOp+")")
	}
	switch a.Parallel {
	case "s":
		add("PARALLEL", "SAFE")
	case "r":
		add("PARALLEL", "RESTRICTED")
	}
	if a.Kind == "h" {
		opts = append(opts, "HYPOTHETICAL")
	}
	return fmt.Sprintf("CREATE AGGREGATE %s(%s) (\n    %s\n)", pgQualified(f.Schema, f.Name), args,
		strings.Join(opts, ",\n    ")), nil
}

var pgModify = map[string]string{"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}

// pgLiteral quotes s as a SQL string literal (standard_conforming_strings).
func pgLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
