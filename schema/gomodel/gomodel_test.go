package gomodel

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/schema"
)

// load writes src (a file of package m) to a temporary folder and loads it.
func load(t *testing.T, dialect, tags, src string) (*Model, string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "m.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Load([]string{dir}, Options{Dialect: dialect, Tags: tags})
	return m, path, err
}

func mustLoad(t *testing.T, dialect, tags, src string) *schema.Schema {
	t.Helper()
	m, _, err := load(t, dialect, tags, src)
	if err != nil {
		t.Fatal(err)
	}
	return m.Schema
}

func table(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	for _, tb := range s.Tables {
		if tb.Name == name {
			return tb
		}
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	t.Fatalf("no table %s; have %v", name, names)
	return nil
}

// cols renders a table's columns as "name type [NOT NULL] [DEFAULT d]".
func cols(tb *schema.Table) []string {
	var out []string
	for _, c := range tb.Columns {
		s := c.Name + " " + c.Type
		if c.NotNull {
			s += " NOT NULL"
		}
		if c.Default != "" {
			s += " DEFAULT " + c.Default
		}
		out = append(out, s)
	}
	return out
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

const typesSrc = `package m

import (
	"database/sql"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	gofrs "github.com/gofrs/uuid/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

type Cents int64

//migrate:table things
type Thing struct {
	I     int
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	U8    uint8
	U16   uint16
	U32   uint32
	U     uint
	S     string
	B     bool
	F32   float32
	F64   float64
	T     time.Time
	Bytes []byte
	UUID  uuid.UUID
	GUUID gofrs.UUID
	JSON  json.RawMessage
	Dec   decimal.Decimal
	PS    *string
	NS    sql.NullString
	NI    sql.NullInt64
	NT    sql.NullTime
	PT    pgtype.Text
	PTz   pgtype.Timestamptz
	PD    pgtype.Date
	NU    uuid.NullUUID
	ND    decimal.NullDecimal
	C     Cents
	PC    *Cents
	Tags  []string
}
`

func TestTypesPostgres(t *testing.T) {
	s := mustLoad(t, schema.Postgres, "", typesSrc)
	eq(t, "columns", cols(table(t, s, "things")), []string{
		"i bigint NOT NULL", "i8 smallint NOT NULL", "i16 smallint NOT NULL", "i32 integer NOT NULL", "i64 bigint NOT NULL",
		"u8 smallint NOT NULL", "u16 integer NOT NULL", "u32 bigint NOT NULL", "u bigint NOT NULL",
		"s text NOT NULL", "b boolean NOT NULL", "f32 real NOT NULL", "f64 double precision NOT NULL",
		"t timestamp with time zone NOT NULL", "bytes bytea NOT NULL", "uuid uuid NOT NULL", "g_uuid uuid NOT NULL",
		"json jsonb NOT NULL", "dec numeric NOT NULL",
		"ps text", "ns text", "ni bigint", "nt timestamp with time zone", "pt text", "p_tz timestamp with time zone",
		"pd date", "nu uuid", "nd numeric", "c bigint NOT NULL", "pc bigint", "tags text[] NOT NULL",
	})
}

func TestTypesSQLite(t *testing.T) {
	s := mustLoad(t, schema.SQLite, "", strings.Replace(typesSrc, "	Tags  []string\n", "", 1))
	eq(t, "columns", cols(table(t, s, "things")), []string{
		"i integer NOT NULL", "i8 integer NOT NULL", "i16 integer NOT NULL", "i32 integer NOT NULL", "i64 integer NOT NULL",
		"u8 integer NOT NULL", "u16 integer NOT NULL", "u32 integer NOT NULL", "u integer NOT NULL",
		"s text NOT NULL", "b boolean NOT NULL", "f32 real NOT NULL", "f64 real NOT NULL",
		"t datetime NOT NULL", "bytes blob NOT NULL", "uuid text NOT NULL", "g_uuid text NOT NULL",
		"json text NOT NULL", "dec numeric NOT NULL",
		"ps text", "ns text", "ni integer", "nt datetime", "pt text", "p_tz datetime",
		"pd date", "nu text", "nd numeric", "c integer NOT NULL", "pc integer",
	})
}

func TestTableDetectionAndNaming(t *testing.T) {
	s := mustLoad(t, schema.Postgres, "", `package m

import "time"

type Base struct {
	ID        int64 `+"`migrate:\"pk\"`"+`
	CreatedAt time.Time
}

type Audit struct{ UpdatedBy *string }

// Account has its table from TableName.
type Account struct {
	Base
	*Audit
	UserID   int64
	HTTPURL  string
	APIKey   string `+"`db:\"key,omitempty\"`"+`
	Skipped  string `+"`db:\"-\"`"+`
	private  string
}

func (Account) TableName() string { return "accounts" }

// NotATable has neither a directive nor TableName.
type NotATable struct{ X int }

//migrate:table audit.events
type Event struct{ ID int64 }
`)
	eq(t, "columns", cols(table(t, s, "accounts")), []string{
		"id bigint NOT NULL", "created_at timestamp with time zone NOT NULL", "updated_by text",
		"user_id bigint NOT NULL", "http_url text NOT NULL", "key text NOT NULL",
	})
	if len(s.Tables) != 2 {
		t.Errorf("want 2 tables, got %d", len(s.Tables))
	}
	ev := table(t, s, "events")
	if ev.Schema != "audit" || ev.PrimaryKey == nil || ev.PrimaryKey.Columns[0] != "id" {
		t.Errorf("events: schema %q, key %+v (id is the key by default)", ev.Schema, ev.PrimaryKey)
	}
	if len(s.Schemas) != 1 || s.Schemas[0].Name != "audit" {
		t.Errorf("schemas: %+v", s.Schemas)
	}
}

func TestEnum(t *testing.T) {
	src := `package m

// Status of an order.
//
//migrate:enum order_status
type Status string

const (
	StatusNew  Status = "new"
	StatusPaid Status = "paid"
	Other             = "not a value"
)

const StatusVoid = Status("void")

//migrate:table orders
type Order struct {
	ID     int64
	Status Status ` + "`migrate:\"default='new'\"`" + `
	Prev   *Status
}
`
	pg := mustLoad(t, schema.Postgres, "", src)
	if len(pg.Enums) != 1 || pg.Enums[0].Name != "order_status" || strings.Join(pg.Enums[0].Values, ",") != "new,paid,void" {
		t.Fatalf("enums: %+v", pg.Enums)
	}
	eq(t, "pg", cols(table(t, pg, "orders")), []string{"id bigint NOT NULL", "status order_status NOT NULL DEFAULT 'new'", "prev order_status"})
	lite := mustLoad(t, schema.SQLite, "", src)
	o := table(t, lite, "orders")
	eq(t, "sqlite", cols(o), []string{"id integer NOT NULL", "status text NOT NULL DEFAULT 'new'", "prev text"})
	var checks []string
	for _, c := range o.Checks {
		checks = append(checks, c.Name+": "+c.Expr)
	}
	eq(t, "sqlite checks", checks, []string{"orders_status_check: status IN ('new', 'paid', 'void')", "orders_prev_check: prev IN ('new', 'paid', 'void')"})
}

func TestTags(t *testing.T) {
	s := mustLoad(t, schema.Postgres, "", `package m

//migrate:table teams
type Team struct {
	ID   int32  `+"`migrate:\"pk,identity=always\"`"+`
	Name string `+"`migrate:\"type=varchar(80),unique,collate=C,comment='the name, shown'\"`"+`
}

//migrate:table members
//migrate:index members_lower_nick_idx (lower(nick)) where active
//migrate:index unique members_team_nick_idx using btree (team_id, nick desc)
//migrate:check members_nick_len (length(nick) < 40)
//migrate:check (team_id > 0)
//migrate:renamed_from people
type Member struct {
	TeamID  int32  `+"`migrate:\"pk,references=teams(id),ondelete=cascade,onupdate=set_null\"`"+`
	UserID  int64  `+"`migrate:\"pk,index\"`"+`
	Nick    string `+"`migrate:\"null,unique=members_team_nick_key,renamed_from=nickname\"`"+`
	Org     string `+"`migrate:\"unique=members_team_nick_key,index=members_org_kind_idx,default='x'\"`"+`
	Kind    int16  `+"`migrate:\"index=members_org_kind_idx,check=kind >= 0\"`"+`
	Active  bool
	Team2ID *int32 `+"`migrate:\"references=teams\"`"+`
}
`)
	team := table(t, s, "teams")
	id := team.Columns[0]
	if id.Identity == nil || !id.Identity.Always || id.Identity.Max != 2147483647 {
		t.Errorf("identity=always: %+v", id.Identity)
	}
	name := team.Columns[1]
	if name.Type != "varchar(80)" || name.Collation != `"C"` || name.Comment != "the name, shown" {
		t.Errorf("name: %+v", name)
	}
	if len(team.Uniques) != 1 || team.Uniques[0].Name != "teams_name_key" {
		t.Errorf("unique: %+v", team.Uniques)
	}
	m := table(t, s, "members")
	if got := strings.Join(m.PrimaryKey.Columns, ","); got != "team_id,user_id" || m.PrimaryKey.Name != "members_pkey" {
		t.Errorf("composite key: %+v", m.PrimaryKey)
	}
	eq(t, "columns", cols(m), []string{"team_id integer NOT NULL", "user_id bigint NOT NULL", "nick text", "org text NOT NULL DEFAULT 'x'", "kind smallint NOT NULL", "active boolean NOT NULL", "team2_id integer"})
	var got []string
	for _, u := range m.Uniques {
		got = append(got, u.Name+"("+strings.Join(u.Columns, ",")+")")
	}
	eq(t, "uniques", got, []string{"members_team_nick_key(nick,org)"})
	got = nil
	for _, c := range m.Checks {
		got = append(got, c.Name+": "+c.Expr)
	}
	eq(t, "checks", got, []string{"members_kind_check: kind >= 0", "members_nick_len: length(nick) < 40", "members_check: team_id > 0"})
	got = nil
	for _, ix := range m.Indexes {
		got = append(got, ix.Definition)
	}
	eq(t, "indexes", got, []string{
		"CREATE INDEX idx_members_user_id ON public.members USING btree (user_id)",
		"CREATE INDEX members_org_kind_idx ON public.members USING btree (org, kind)",
		"CREATE INDEX members_lower_nick_idx ON public.members USING btree ((lower(nick))) WHERE (active)",
		"CREATE UNIQUE INDEX members_team_nick_idx ON public.members USING btree (team_id, nick DESC)",
	})
	got = nil
	for _, fk := range m.ForeignKeys {
		got = append(got, fk.Name+" ("+strings.Join(fk.Columns, ",")+") "+fk.RefTable+"("+strings.Join(fk.RefColumns, ",")+") "+fk.OnDelete+"/"+fk.OnUpdate)
	}
	eq(t, "foreign keys", got, []string{"members_team_id_fkey (team_id) teams(id) CASCADE/SET NULL", "members_team2_id_fkey (team2_id) teams(id) /"})

	mm, _, err := load(t, schema.Postgres, "", `package m

//migrate:table people
//migrate:renamed_from persons
type Person struct {
	ID   int64
	Name string `+"`migrate:\"renamed_from=full_name\"`"+`
}
`)
	if err != nil {
		t.Fatal(err)
	}
	if old := mm.TableRenames[schema.TableRef{Schema: "public", Name: "people"}]; old.Name != "persons" {
		t.Errorf("table rename: %+v", mm.TableRenames)
	}
	if old := mm.ColumnRenames[schema.ColumnRef{Schema: "public", Table: "people", Column: "name"}]; old != "full_name" {
		t.Errorf("column rename: %+v", mm.ColumnRenames)
	}
}

func TestIdentitySQLite(t *testing.T) {
	s := mustLoad(t, schema.SQLite, "", `package m

//migrate:table t
type T struct {
	ID int32 `+"`migrate:\"pk,identity\"`"+`
}
`)
	c := table(t, s, "t").Columns[0]
	if !c.AutoIncrement || c.Type != "integer" {
		t.Errorf("identity on SQLite: %+v", c)
	}
}

func TestRelations(t *testing.T) {
	s := mustLoad(t, schema.Postgres, "", `package m

//migrate:table users
type User struct {
	ID      int64
	Profile *Profile
	Groups  []Group `+"`migrate:\"many2many=user_groups\"`"+`
}

//migrate:table profiles
type Profile struct {
	ID     int64
	UserID int64 `+"`migrate:\"unique,references=users\"`"+`
	User   User
}

//migrate:table groups
type Group struct {
	ID    int32
	Users []User `+"`migrate:\"many2many=user_groups\"`"+`
}
`)
	if len(s.Tables) != 4 {
		t.Fatalf("want users, profiles, groups and user_groups; got %d tables", len(s.Tables))
	}
	j := table(t, s, "user_groups")
	eq(t, "join columns", cols(j), []string{"user_id bigint NOT NULL", "group_id integer NOT NULL"})
	if strings.Join(j.PrimaryKey.Columns, ",") != "user_id,group_id" || len(j.ForeignKeys) != 2 || j.ForeignKeys[0].OnDelete != schema.Cascade {
		t.Errorf("join table: key %+v, fks %d", j.PrimaryKey, len(j.ForeignKeys))
	}
	p := table(t, s, "profiles")
	if len(p.ForeignKeys) != 1 || len(p.Uniques) != 1 {
		t.Errorf("one-to-one: %d fks, %d uniques", len(p.ForeignKeys), len(p.Uniques))
	}
}

// TestErrors: every problem at once, each with its file and line.
func TestErrors(t *testing.T) {
	_, path, err := load(t, schema.Postgres, "", `package m

import "github.com/acme/money"

//migrate:enum
type Empty string

//migrate:table a
type A struct {
	ID    int64  `+"`migrate:\"pk,identity=sometimes\"`"+`
	M     money.Amount
	Ch    chan int
	X     int    `+"`migrate:\"bogus,type\"`"+`
	Y     int    `+"`migrate:\"references=nowhere(id)\"`"+`
	Z     int    `+"`migrate:\"references=b(nope),ondelete=explode\"`"+`
	W     int    `+"`migrate:\"ondelete=cascade\"`"+`
	S     string `+"`migrate:\"identity\"`"+`
}

//migrate:table b
//migrate:index bad
//migrate:check
//migrate:tabel typo
type B struct{ ID int64 }

//migrate:table a
type Dup struct{ ID int64 }

type C struct{ ID int64 }

func (C) TableName() string { return name }
`)
	var el ErrorList
	if !errors.As(err, &el) {
		t.Fatalf("want an ErrorList, got %v", err)
	}
	want := []string{
		`:6: //migrate:enum Empty: no constants of type Empty declare its values`,
		`:27: struct Dup: table a is also the table of A (` + path + `:9)`,
		`:10: field ID: identity=sometimes: want identity or identity=always`,
		`:11: field M: cannot map type money.Amount; add migrate:"type=..."`,
		`:12: field Ch: cannot map type chan int; add migrate:"type=..."`,
		`:13: field X: unknown migrate tag key "bogus"`,
		`:13: field X: migrate tag key "type" needs a value (type=...)`,
		`:14: references nowhere(id): no model has table nowhere`,
		`:15: field Z: ondelete=explode: want cascade, restrict, set null, set default or no action`,
		`:15: references b(nope): table b has no column nope`,
		`:16: field W: ondelete needs references=table(column)`,
		`:17: field S: identity needs an integer type, not string`,
		`:21: //migrate:index bad: expected a parenthesised list of columns or expressions`,
		`:22: //migrate:check: expected [NAME] (EXPRESSION)`,
		`:23: unknown directive //migrate:tabel`,
		`:31: C.TableName must return a string literal`,
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, path+w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
	if len(el) != len(want) {
		t.Errorf("got %d errors, want %d:\n%s", len(el), len(want), msg)
	}
}

func TestParseError(t *testing.T) {
	_, path, err := load(t, schema.SQLite, "", "package m\n\ntype A struct {\n\tX int\n\n")
	if err == nil || !strings.HasPrefix(err.Error(), path+":5: does not parse") {
		t.Fatalf("got %v", err)
	}
}

func TestSnakeCaseAndPlural(t *testing.T) {
	for in, want := range map[string]string{
		"UserID": "user_id", "ID": "id", "HTTPURL": "http_url", "APIKey": "api_key", "CreatedAt": "created_at",
		"SHA256": "sha256", "OAuth2Token": "o_auth2_token", "Name": "name", "UUID": "uuid", "IPAddress": "ip_address",
	} {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"user": "users", "person": "people", "category": "categories", "box": "boxes", "status": "statuses",
		"credit_card": "credit_cards", "money": "money", "company": "companies", "wolf": "wolves", "leaf": "leafs", "user_language": "user_languages",
	} {
		if got := Plural(in); got != want {
			t.Errorf("Plural(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestGORM(t *testing.T) {
	src := `package m

import (
	"time"

	"gorm.io/gorm"
)

type Company struct {
	ID   int
	Name string ` + "`gorm:\"size:100;not null;uniqueIndex\"`" + `
}

type User struct {
	gorm.Model
	Name      string  ` + "`gorm:\"index:idx_name_age,priority:1\"`" + `
	Age       uint8   ` + "`gorm:\"index:idx_name_age,priority:2;default:18\"`" + `
	Email     *string ` + "`gorm:\"unique\"`" + `
	Role      string  ` + "`gorm:\"default:member;check:role <> ''\"`" + `
	CompanyID int
	Company   Company ` + "`gorm:\"constraint:OnUpdate:CASCADE,OnDelete:SET NULL;\"`" + `
	Cards     []CreditCard
	Languages []Language ` + "`gorm:\"many2many:user_languages;\"`" + `
	Birthday  *time.Time
	Price     float64 ` + "`gorm:\"precision:10;scale:2\"`" + `
	Ignored   string  ` + "`gorm:\"-\"`" + `
}

type CreditCard struct {
	ID     uint
	Number string
	UserID uint
}

type Language struct {
	ID   uint
	Code string ` + "`gorm:\"column:lang_code;type:varchar(8)\"`" + `
}
`
	s := mustLoad(t, schema.Postgres, "", src) // GORM mode detected from the import
	u := table(t, s, "users")
	eq(t, "users", cols(u), []string{
		"id bigserial NOT NULL", "created_at timestamptz", "updated_at timestamptz", "deleted_at timestamptz",
		"name text", "age smallint DEFAULT 18", "email text", "role text DEFAULT 'member'", "company_id bigint",
		"birthday timestamptz", "price numeric(10, 2)",
	})
	var got []string
	for _, ix := range u.Indexes {
		got = append(got, ix.Definition)
	}
	eq(t, "indexes", got, []string{
		"CREATE INDEX idx_users_deleted_at ON public.users USING btree (deleted_at)",
		"CREATE INDEX idx_name_age ON public.users USING btree (name, age)",
	})
	if len(u.Uniques) != 1 || u.Uniques[0].Name != "uni_users_email" {
		t.Errorf("unique: %+v", u.Uniques)
	}
	if len(u.Checks) != 1 || u.Checks[0].Name != "chk_users_role" {
		t.Errorf("check: %+v", u.Checks)
	}
	if len(u.ForeignKeys) != 1 || u.ForeignKeys[0].Name != "fk_users_company" || u.ForeignKeys[0].OnDelete != schema.SetNull || u.ForeignKeys[0].OnUpdate != schema.Cascade {
		t.Errorf("belongs to: %+v", u.ForeignKeys)
	}
	cc := table(t, s, "credit_cards")
	if len(cc.ForeignKeys) != 1 || cc.ForeignKeys[0].Name != "fk_users_cards" || cc.ForeignKeys[0].RefTable != "users" {
		t.Errorf("has many: %+v", cc.ForeignKeys)
	}
	c := table(t, s, "companies")
	eq(t, "companies", cols(c), []string{"id bigserial NOT NULL", "name varchar(100) NOT NULL"})
	if len(c.Indexes) != 1 || !c.Indexes[0].Unique || c.Indexes[0].Name != "idx_companies_name" {
		t.Errorf("uniqueIndex: %+v", c.Indexes)
	}
	j := table(t, s, "user_languages")
	eq(t, "join", cols(j), []string{"user_id bigint NOT NULL", "language_id bigint NOT NULL"})
	got = nil
	for _, fk := range j.ForeignKeys {
		got = append(got, fk.Name)
	}
	eq(t, "join fks", got, []string{"fk_user_languages_user", "fk_user_languages_language"})
	eq(t, "languages", cols(table(t, s, "languages")), []string{"id bigserial NOT NULL", "lang_code varchar(8)"})

	lite := mustLoad(t, schema.SQLite, "gorm", src)
	lu := table(t, lite, "users")
	if c := lu.Columns[0]; !c.AutoIncrement || c.Type != "integer" {
		t.Errorf("sqlite id: %+v", c)
	}
	if c := lu.Columns[4]; c.Type != "text" {
		t.Errorf("sqlite name: %+v", c)
	}
}

func TestGORMValueStructsAndMarkers(t *testing.T) {
	s := mustLoad(t, schema.Postgres, "gorm", `package m

import "github.com/uptrace/bun"

type Settings struct {
	Theme string
}

type Account struct {
	bun.BaseModel
	ID       uint
	Settings Settings `+"`gorm:\"type:jsonb;serializer:json\"`"+`
}
`)
	if len(s.Tables) != 1 {
		t.Fatalf("a struct stored as JSON is not a table: %d tables", len(s.Tables))
	}
	eq(t, "accounts", cols(table(t, s, "accounts")), []string{"id bigserial NOT NULL", "settings jsonb"})
}

func TestDirectiveOnNonStruct(t *testing.T) {
	_, path, err := load(t, schema.SQLite, "", `package m

//migrate:table things
type Thing string
`)
	if err == nil || err.Error() != path+":3: //migrate:table on Thing, which is not a struct" {
		t.Fatalf("got %v", err)
	}
}

// TestSameModuleImports: a models package importing another package of
// its module (a base struct, an ID type) is read without listing it.
func TestSameModuleImports(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/app\n\ngo 1.22\n")
	write("internal/base/base.go", `package base

import "time"

type ID int64

type Timestamps struct {
	CreatedAt time.Time
	UpdatedAt *time.Time
}

// Thing is not a table: its package is not listed.
//
//migrate:table things
type Thing struct{ ID int64 }
`)
	write("internal/models/models.go", `package models

import "example.com/app/internal/base"

//migrate:table users
type User struct {
	ID    base.ID `+"`migrate:\"pk\"`"+`
	Owner *base.ID
	base.Timestamps
}
`)
	m, err := Load([]string{filepath.Join(root, "internal", "models")}, Options{Dialect: schema.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Schema.Tables) != 1 {
		t.Fatalf("tables: %d", len(m.Schema.Tables))
	}
	eq(t, "users", cols(table(t, m.Schema, "users")), []string{"id bigint NOT NULL", "owner bigint", "created_at timestamp with time zone NOT NULL", "updated_at timestamp with time zone"})
}
