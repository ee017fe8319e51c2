// Package gormshop, version 2: one change of each GORM tag kind.
package gormshop

import (
	"time"

	"gorm.io/gorm"
)

type Company struct {
	ID        int
	Name      string `gorm:"size:200;not null;uniqueIndex"`
	Country   string `gorm:"size:2;not null;default:FR"`
	Employees []User
}

type User struct {
	gorm.Model
	Name      string  `gorm:"index:idx_name_age,priority:2"`
	Age       uint8   `gorm:"index:idx_name_age,priority:1;default:21"`
	Email     *string `gorm:"uniqueIndex"`
	Role      string  `gorm:"not null;default:member;check:role <> '' AND role <> 'root'"`
	CompanyID int
	Company   Company
	Cards     []CreditCard `gorm:"constraint:OnDelete:SET NULL"`
	Languages []Language   `gorm:"many2many:user_languages;"`
	Projects  []Project    `gorm:"many2many:user_projects;"`
	Birthday  *time.Time   `gorm:"index"`
	Meta      Meta         `gorm:"embedded;embeddedPrefix:meta_"`
	Alias     string       `gorm:"comment:what friends call them" migrate:"renamed_from=nickname"`
}

type Meta struct {
	Source  string
	Version int
}

type CreditCard struct {
	ID     uint
	Number string `gorm:"size:19;not null"`
	UserID uint
}

type Language struct {
	ID   uint
	Code string `gorm:"type:varchar(8);uniqueIndex:idx_lang_code"`
}

type Project struct {
	ID    uint
	Title string `gorm:"not null"`
}
