package shop

import (
	"encoding/json"
	"time"
)

// TaskStatus is where a task is.
//
//migrate:enum
type TaskStatus string

const (
	TaskTodo  TaskStatus = "todo"
	TaskDoing TaskStatus = "doing"
	TaskDone  TaskStatus = "done"
)

// Task is the work item.
//
//migrate:table tasks
//migrate:index tasks_open_idx (project_id, due_at) where status <> 'done'
type Task struct {
	ID         int64      `migrate:"pk,identity"`
	ProjectID  int64      `migrate:"references=projects(id),ondelete=cascade,index=tasks_project_status_idx"`
	Status     TaskStatus `migrate:"default='todo',index=tasks_project_status_idx"`
	Title      string     `migrate:"type=varchar(200)"`
	Priority   int16      `migrate:"default=0,check=priority BETWEEN 0 AND 5"`
	AssigneeID *int64     `migrate:"references=users(id),ondelete=set null"`
	DueAt      *time.Time
	Estimate   *float64
	Meta       json.RawMessage `migrate:"null"`
	Tags       []Tag           `migrate:"many2many=task_tags"` // many-to-many by tag
	Assignee   *User
	Project    Project
}

// Tag labels tasks.
//
//migrate:table tags
type Tag struct {
	ID    int32  `migrate:"pk,identity"`
	Label string `migrate:"unique,collate=C"`
}

// Comment is written by a user on a task.
type Comment struct {
	ID       int64 `migrate:"pk,identity"`
	TaskID   int64 `migrate:"references=tasks,ondelete=cascade,index"`
	AuthorID int64 `migrate:"references=users(id)"`
	Body     string
	Timestamps
}

// TableName names the table of Comment.
func (Comment) TableName() string { return "comments" }
