package shop

import (
	"database/sql"
	"time"

	"github.com/google/uuid"
)

// Role is what a user may do.
//
//migrate:enum user_role
type Role string

const (
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// User is a person who signs in.
//
//migrate:table users
//migrate:index unique users_lower_email_idx (lower(email))
//migrate:check users_name_check (length(full_name) > 0)
type User struct {
	ID        int64     `db:"id" migrate:"pk,identity"`
	PublicID  uuid.UUID `migrate:"unique"`
	Email     string    `migrate:"type=varchar(255),unique"`
	FullName  string    `migrate:"renamed_from=name,comment='full name, as shown to others'"`
	Role      Role      `migrate:"default='member'"`
	Bio       sql.NullString
	LastLogin *time.Time
	Active    bool `migrate:"default=true"`
	Timestamps

	Profile  *Profile  // has one (profiles.user_id)
	Projects []Project // has many, through memberships
	password string    // unexported: not a column
	Scratch  string    `db:"-"`
}

// Profile is one-to-one with a user: a unique foreign key.
//
//migrate:table profiles
type Profile struct {
	UserID  int64 `migrate:"pk,references=users(id),ondelete=cascade"`
	Website *string
	Avatar  []byte `migrate:"null"`
}
