package shop

import "github.com/shopspring/decimal"

// Organization owns projects.
//
//migrate:table organizations
type Organization struct {
	ID      int64           `migrate:"pk,identity"`
	Slug    string          `migrate:"type=varchar(63),unique"`
	Name    string          `migrate:"null"`
	Credits decimal.Decimal `migrate:"type=numeric(12,2),default=0"`
	Timestamps
}

// Membership is the association of users and organizations
// (many-to-many declared as its own struct), with a composite key.
//
//migrate:table memberships
type Membership struct {
	OrganizationID int64 `migrate:"pk,references=organizations(id),ondelete=cascade"`
	UserID         int64 `migrate:"pk,references=users,ondelete=cascade,index"`
	Role           Role
	Timestamps
}

// Project belongs to an organization; its slug is unique within it.
//
//migrate:table projects
type Project struct {
	ID             int64  `migrate:"pk,identity"`
	OrganizationID int64  `migrate:"references=organizations(id),ondelete=cascade,unique=projects_org_slug_key"`
	Slug           string `migrate:"unique=projects_org_slug_key,check=slug <> ''"`
	Title          string `migrate:"unique=projects_org_slug_key"`
	Archived       bool   `migrate:"default=false"`
	Tasks          []Task
	Watchers       []User `migrate:"many2many=project_watchers"`
}
