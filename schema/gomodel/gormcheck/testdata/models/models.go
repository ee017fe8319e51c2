// Package models is a GORM models package: GORM's AutoMigrate compiles
// it, migrate reads its source.
package models

import (
	"time"

	"gorm.io/gorm"
)

// Company has many employees (users.company_id).
type Company struct {
	ID        int
	Name      string `gorm:"size:100;not null;uniqueIndex"`
	Employees []User
}

// User is the usual GORM model.
type User struct {
	gorm.Model
	Name        string  `gorm:"index:idx_name_age,priority:1"`
	Age         uint8   `gorm:"index:idx_name_age,priority:2;default:18"`
	Email       *string `gorm:"unique"`
	Role        string  `gorm:"default:member;check:role <> ''"`
	CompanyID   int
	Company     Company      `gorm:"constraint:OnUpdate:CASCADE,OnDelete:SET NULL;"`
	CreditCards []CreditCard `gorm:"constraint:OnDelete:CASCADE"`
	Profile     Profile
	Languages   []Language `gorm:"many2many:user_languages;"`
	Birthday    *time.Time
	Price       float64 `gorm:"precision:10;scale:2"`
	Code        string  `gorm:"column:user_code;type:varchar(20)"`
	Meta        Meta    `gorm:"embedded;embeddedPrefix:meta_"`
	Ignored     string  `gorm:"-"`
	Note        string  `gorm:"comment:free text"`
	Active      bool    `gorm:"not null;default:true"`
	Score       float32
	Visits      int32 `gorm:"index:,sort:desc"`
	Avatar      []byte
}

// Meta is embedded with a prefix.
type Meta struct {
	Source  string
	Version int
}

// CreditCard belongs to a user (has many from User).
type CreditCard struct {
	ID     uint
	Number string `gorm:"not null"`
	UserID uint
}

// Profile is has-one from User.
type Profile struct {
	ID     uint
	UserID uint `gorm:"uniqueIndex"`
	Bio    string
}

// Language is many-to-many with users.
type Language struct {
	ID   uint
	Code string `gorm:"type:varchar(8);uniqueIndex:idx_lang_code"`
}

// Order has a composite key and belongs to a user.
type Order struct {
	OrderID uint `gorm:"primaryKey;autoIncrement:false"`
	LineNo  int  `gorm:"primaryKey;autoIncrement:false"`
	Amount  float64
	UserID  uint
	User    User
}

// TableName overrides GORM's name.
func (Order) TableName() string { return "order_lines" }

// All is what AutoMigrate gets.
var All = []any{&Company{}, &User{}, &CreditCard{}, &Profile{}, &Language{}, &Order{}}
