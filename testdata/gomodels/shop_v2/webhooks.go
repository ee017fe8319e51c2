package shop

// Webhook is new in version 2.
//
//migrate:table webhooks
type Webhook struct {
	ID             int64  `migrate:"pk,identity"`
	OrganizationID int64  `migrate:"references=organizations,ondelete=cascade"`
	URL            string `migrate:"check=url LIKE 'https://%'"`
	Secret         []byte
}
