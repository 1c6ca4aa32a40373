package store

import (
	"context"
	"strconv"
	"strings"

	"huiliu/desk"
)

// SearchContacts matches q in names and identity values with LIKE: a
// number typed without its country code still finds "+86…".
func (r reader) SearchContacts(ctx context.Context, q string, v *desk.Visibility, limit int) ([]desk.Contact, error) {
	var args []any
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	p := arg("%" + escapeLike(strings.ToLower(q)) + "%")
	query := `SELECT c.id FROM contacts c WHERE c.merged_into = '' AND (LOWER(c.name) LIKE ` + p + ` ESCAPE '\'
		OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id AND LOWER(i.value) LIKE ` + p + ` ESCAPE '\'))`
	if v != nil {
		query += ` AND EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id AND ` + visibleTickets(v, arg) + `)`
	}
	query += ` ORDER BY c.created_at DESC, c.id DESC LIMIT ` + arg(limit)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap(err, "search contacts")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrap(err, "search contacts")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "search contacts")
	}
	out := make([]desk.Contact, 0, len(ids))
	for _, id := range ids {
		c, err := r.Contact(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
