package shop

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// Invoice bills an organization.
//
//migrate:table invoices
//migrate:check invoices_period_check (period_end > period_start)
type Invoice struct {
	ID             int64           `migrate:"pk,identity"`
	OrganizationID int64           `migrate:"references=organizations(id),ondelete=restrict,onupdate=cascade"`
	Number         string          `migrate:"type=varchar(32),unique"`
	Amount         decimal.Decimal `migrate:"type=numeric(12,2)"`
	Currency       string          `migrate:"type=char(3),default='EUR'"`
	PeriodStart    time.Time
	PeriodEnd      time.Time
	PaidAt         *time.Time
	Lines          []InvoiceLine
}

// InvoiceLine has a composite key (invoice, line number).
//
//migrate:table invoice_lines
type InvoiceLine struct {
	InvoiceID int64 `migrate:"pk,references=invoices(id),ondelete=cascade"`
	LineNo    int32 `migrate:"pk"`
	Label     string
	Quantity  int32           `migrate:"check=quantity > 0"`
	UnitPrice decimal.Decimal `migrate:"type=numeric(12,2)"`
}

// Attachment is a file on a task.
//
//migrate:table attachments
type Attachment struct {
	ID       int64 `migrate:"pk,identity"`
	TaskID   int64 `migrate:"references=tasks(id),ondelete=cascade"`
	Filename string
	Content  []byte
	Size     int64  `migrate:"check=size >= 0"`
	SHA256   string `db:"sha256" migrate:"type=char(64),index=attachments_sha_idx"`
}

// AuditLog records changes; kept when users go.
//
//migrate:table audit_logs
//migrate:index audit_logs_actor_at_idx (actor_id, at desc)
type AuditLog struct {
	ID      int64  `migrate:"pk,identity"`
	ActorID *int64 `migrate:"references=users(id),ondelete=set null"`
	Action  string
	Payload json.RawMessage
	At      time.Time `migrate:"default=CURRENT_TIMESTAMP"`
}
