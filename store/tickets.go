package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

const ticketCols = `t.id, t.number, t.contact_id, t.channel, t.thread_key, t.identity_id, t.status, t.priority,
	t.subject, t.team_id, t.owner_id, t.assignee_id, t.preview, t.last_message_at, t.created_at, t.updated_at,
	t.last_seq, t.tags, t.category, t.language, t.handoff, t.confirmed_by, t.confirmed_at, t.waiting_since`

type scanner interface{ Scan(dest ...any) error }

func scanTicket(s scanner) (desk.Ticket, error) {
	var t desk.Ticket
	var status, priority string
	var last, created, updated int64
	var tags string
	var handoff, confirmedAt, waiting int64
	err := s.Scan(&t.ID, &t.Number, &t.ContactID, &t.Channel, &t.ThreadKey, &t.IdentityID, &status, &priority,
		&t.Subject, &t.TeamID, &t.OwnerID, &t.AssigneeID, &t.Preview, &last, &created, &updated, &t.LastSeq, &tags, &t.Category, &t.Language,
		&handoff, &t.ConfirmedBy, &confirmedAt, &waiting)
	t.Handoff, t.ConfirmedAt, t.WaitingSince = handoff != 0, fromMsPtr(confirmedAt), fromMs(waiting)
	t.ConfirmationRequired = t.NeedsConfirmation()
	t.Status, t.Priority, t.Tags = desk.Status(status), desk.Priority(priority), splitTags(tags)
	t.LastMessageAt, t.CreatedAt, t.UpdatedAt = fromMs(last), fromMs(created), fromMs(updated)
	return t, err
}

func (r reader) Ticket(ctx context.Context, id string) (desk.Ticket, error) {
	t, err := scanTicket(r.q.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets t WHERE t.id = $1`, id))
	return t, wrap(err, "ticket %s", id)
}

func (r reader) ActiveTicket(ctx context.Context, contactID, channel, threadKey string) (desk.Ticket, error) {
	t, err := scanTicket(r.q.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets t
		WHERE t.contact_id = $1 AND t.channel = $2 AND t.thread_key = $3 AND t.status <> 'closed'
		ORDER BY t.created_at DESC, t.id DESC LIMIT 1`, contactID, channel, threadKey))
	return t, wrap(err, "active ticket of contact %s on %s", contactID, channel)
}

// ticketWhere turns a filter into a WHERE clause (without the keyword) and
// its arguments.
func ticketWhere(f desk.TicketFilter) (string, []any, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return "", nil, err
		}
		o := orderOf(f.Sort)
		a, b := arg(c.at), arg(c.id)
		where = append(where, "("+o.key+" "+o.after+" "+a+" OR ("+o.key+" = "+a+" AND t.id "+o.after+" "+b+"))")
	}
	if len(f.Status) > 0 {
		ps := make([]string, len(f.Status))
		for i, s := range f.Status {
			ps[i] = arg(string(s))
		}
		where = append(where, "t.status IN ("+strings.Join(ps, ", ")+")")
	}
	if f.Team != "" {
		where = append(where, "t.team_id = "+arg(f.Team))
	}
	if f.AssigneeID != "" {
		where = append(where, "t.assignee_id = "+arg(f.AssigneeID))
	}
	if f.Unassigned {
		where = append(where, "t.assignee_id = ''")
	}
	if f.Tag != "" {
		where = append(where, "t.tags LIKE "+arg("%,"+escapeLike(f.Tag)+",%")+` ESCAPE '\'`)
	}
	if f.OwnerID != "" {
		where = append(where, "t.owner_id = "+arg(f.OwnerID))
	}
	if f.Channel != "" {
		where = append(where, "t.channel = "+arg(f.Channel))
	}
	if f.Category != "" {
		where = append(where, "t.category = "+arg(f.Category))
	}
	if f.ContactID != "" {
		where = append(where, "t.contact_id = "+arg(f.ContactID))
	}
	if v := f.Visible; v != nil {
		where = append(where, visibleTickets(v, arg))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + escapeLike(q) + "%")
		where = append(where, `(LOWER(t.subject) LIKE LOWER(`+p+`) ESCAPE '\' OR EXISTS (SELECT 1 FROM messages m
			WHERE m.ticket_id = t.id AND LOWER(m.text) LIKE LOWER(`+p+`) ESCAPE '\'))`)
	}
	return strings.Join(where, " AND "), args, nil
}

// Tickets builds its WHERE clause from the filter; the SQL differs with the
// filter's shape but never with the dialect.
func (r reader) Tickets(ctx context.Context, f desk.TicketFilter) (desk.TicketPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = desk.DefaultPageSize
	}
	limit = min(limit, desk.MaxPageSize)
	where, args, err := ticketWhere(f)
	if err != nil {
		return desk.TicketPage{}, err
	}
	o := orderOf(f.Sort)
	// The page's ids and sort keys first, then their rows: the sort then
	// carries two small values per matching ticket instead of whole rows,
	// and reads only an index where one covers the filter and the key
	// (tickets_status_activity, tickets_status_waiting).
	keys := `SELECT t.id AS pid, ` + o.key + ` AS pkey FROM tickets t`
	if o.joinSLA {
		keys += ` LEFT JOIN ticket_sla s ON s.ticket_id = t.id`
	}
	if where != "" {
		keys += " WHERE " + where
	}
	// One row more than the page tells whether there is a next page.
	args = append(args, limit+1)
	keys += " ORDER BY pkey " + o.dir + ", t.id " + o.dir + " LIMIT $" + strconv.Itoa(len(args))
	query := `SELECT ` + ticketCols + `, p.pkey FROM (` + keys + `) p JOIN tickets t ON t.id = p.pid
		ORDER BY p.pkey ` + o.dir + `, p.pid ` + o.dir

	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return desk.TicketPage{}, wrap(err, "tickets")
	}
	defer rows.Close()
	page := desk.TicketPage{Tickets: []desk.Ticket{}}
	var sortKeys []int64
	for rows.Next() {
		var key int64
		t, err := scanTicket(rowWith{rows, []any{&key}})
		if err != nil {
			return desk.TicketPage{}, wrap(err, "tickets")
		}
		page.Tickets = append(page.Tickets, t)
		sortKeys = append(sortKeys, key)
	}
	if err := rows.Err(); err != nil {
		return desk.TicketPage{}, wrap(err, "tickets")
	}
	if len(page.Tickets) > limit {
		page.Tickets = page.Tickets[:limit]
		last := page.Tickets[limit-1]
		page.Next = encodeCursor(cursor{at: sortKeys[limit-1], id: last.ID})
	}
	return page, nil
}

// TicketChannels walks the tickets_channel index one channel at a time (a
// loose index scan: one seek per channel, however many tickets), so the
// inbox's channel filter costs the same on a desk of 50k tickets as on an
// empty one.
func (r reader) TicketChannels(ctx context.Context) ([]string, error) {
	return r.ids(ctx, "ticket channels", `WITH RECURSIVE c(ch) AS (
		SELECT MIN(channel) FROM tickets
		UNION ALL
		SELECT (SELECT MIN(t.channel) FROM tickets t WHERE t.channel > c.ch) FROM c WHERE c.ch IS NOT NULL)
		SELECT ch FROM c WHERE ch IS NOT NULL`)
}

// notWaiting sorts after every real instant (ms since 1970) in the
// ascending orders: tickets nobody waits on, or without a running deadline.
const notWaiting = "9000000000000000"

// ticketOrder is an inbox order in SQL: the sort key (an int64
// expression, also what a cursor holds), its direction and the comparison
// that continues after a cursor.
type ticketOrder struct {
	key, dir, after string
	joinSLA         bool
}

func orderOf(s desk.TicketSort) ticketOrder {
	switch s {
	case desk.SortWaiting:
		// Only open tickets (and the bot's) wait on the desk; pending ones
		// wait on the customer.
		return ticketOrder{key: `CASE WHEN t.waiting_since > 0 AND t.status IN ('open', 'bot') THEN t.waiting_since ELSE ` +
			notWaiting + ` END`, dir: "ASC", after: ">"}
	case desk.SortDeadline:
		return ticketOrder{key: `CASE WHEN s.due_at > 0 AND t.status IN ('open', 'bot') THEN s.due_at ELSE ` +
			notWaiting + ` END`, dir: "ASC", after: ">", joinSLA: true}
	}
	return ticketOrder{key: "t.last_message_at", dir: "DESC", after: "<"}
}

// escapeLike makes s match literally inside a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (t *txn) InsertTicket(ctx context.Context, tk *desk.Ticket) error {
	var n int64
	err := t.q.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'ticket' RETURNING value`).Scan(&n)
	if err != nil {
		return wrap(err, "next ticket number")
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO tickets (id, number, contact_id, channel, thread_key, identity_id, status,
		priority, subject, team_id, owner_id, assignee_id, preview, last_message_at, created_at, updated_at, last_seq, tags, category, language)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		tk.ID, n, tk.ContactID, tk.Channel, tk.ThreadKey, tk.IdentityID, string(tk.Status), string(tk.Priority),
		tk.Subject, tk.TeamID, tk.OwnerID, tk.AssigneeID, tk.Preview, ms(tk.LastMessageAt), ms(tk.CreatedAt), ms(tk.UpdatedAt),
		tk.LastSeq, joinTags(tk.Tags), tk.Category, tk.Language)
	if err != nil {
		return wrap(err, "insert ticket %s", tk.ID)
	}
	tk.Number = n
	return nil
}

// ticketColsBare is ticketCols without the alias, for RETURNING.
var ticketColsBare = strings.ReplaceAll(ticketCols, "t.", "")

// TouchTicket changes only the columns a new message moves, in one
// statement, so a concurrent change to any other field (an assignment, a
// status set by an agent) is never overwritten with a stale copy.
func (t *txn) TouchTicket(ctx context.Context, id string, tt desk.TicketTouch) (desk.Ticket, error) {
	reopen := 0
	if tt.Reopen {
		reopen = 1
	}
	tk, err := scanTicket(t.q.QueryRowContext(ctx, `UPDATE tickets SET
		preview = CASE WHEN $2 <> '' THEN $2 ELSE preview END,
		last_message_at = CASE WHEN $2 <> '' THEN $3 ELSE last_message_at END,
		updated_at = $3,
		status = CASE WHEN $4 = 1 AND status IN ('pending', 'resolved') THEN 'open' ELSE status END,
		owner_id = CASE WHEN $5 <> '' AND owner_id = '' THEN $5 ELSE owner_id END,
		assignee_id = CASE WHEN $5 <> '' AND assignee_id = '' THEN $5 ELSE assignee_id END,
		handoff = CASE WHEN $5 <> '' AND owner_id <> '' AND owner_id <> $5 THEN 1 ELSE handoff END,
		confirmed_by = CASE WHEN $4 = 1 AND status = 'resolved' THEN '' ELSE confirmed_by END,
		confirmed_at = CASE WHEN $4 = 1 AND status = 'resolved' THEN 0 ELSE confirmed_at END,
		last_seq = last_seq + 1
		WHERE id = $1 AND status <> 'closed'
		RETURNING `+ticketColsBare, id, tt.Preview, ms(tt.At), reopen, tt.ClaimFor))
	return tk, wrap(err, "touch ticket %s", id)
}

// UpdateTicket stores every field but id, number, channel, thread key,
// creation time, which a ticket keeps for life, and the message sequence,
// which only new messages move.
func (t *txn) UpdateTicket(ctx context.Context, tk desk.Ticket) error {
	res, err := t.q.ExecContext(ctx, `UPDATE tickets SET contact_id = $2, identity_id = $3, status = $4, priority = $5,
		subject = $6, team_id = $7, owner_id = $8, assignee_id = $9, preview = $10, last_message_at = $11, updated_at = $12,
		tags = $13, category = $14, language = $15
		WHERE id = $1`,
		tk.ID, tk.ContactID, tk.IdentityID, string(tk.Status), string(tk.Priority), tk.Subject, tk.TeamID, tk.OwnerID,
		tk.AssigneeID, tk.Preview, ms(tk.LastMessageAt), ms(tk.UpdatedAt), joinTags(tk.Tags), tk.Category, tk.Language)
	return affected(res, err, "update ticket %s", tk.ID)
}

// CountTickets counts what Tickets would list without paging.
func (r reader) CountTickets(ctx context.Context, f desk.TicketFilter) (int, error) {
	f.Cursor, f.Limit = "", 0
	where, args, err := ticketWhere(f)
	if err != nil {
		return 0, err
	}
	query := `SELECT COUNT(*) FROM tickets t`
	if where != "" {
		query += " WHERE " + where
	}
	var n int
	err = r.q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, wrap(err, "count tickets")
}

// joinTags stores tags as ",a,b," so a LIKE '%,a,%' finds one exactly.
func joinTags(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "," + strings.Join(tags, ",") + ","
}

func splitTags(s string) []string {
	s = strings.Trim(s, ",")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// affected maps an UPDATE or DELETE that touched no row to ErrNotFound.
func affected(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return wrap(err, format, args...)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(err, format, args...)
	}
	if n == 0 {
		return notFound(format, args...)
	}
	return nil
}

// SetTicketFields names only the columns the change sets, so a concurrent
// message's preview or seq is never written back stale.
func (t *txn) SetTicketFields(ctx context.Context, id string, f desk.TicketFields, at time.Time) (desk.Ticket, error) {
	args := []any{id, ms(at)}
	sets := []string{"updated_at = $2"}
	set := func(col string, v any) {
		args = append(args, v)
		sets = append(sets, col+" = $"+strconv.Itoa(len(args)))
	}
	if f.Status != nil {
		set("status", string(*f.Status))
	}
	if f.AssigneeID != nil {
		set("assignee_id", *f.AssigneeID)
	}
	if f.TeamID != nil {
		set("team_id", *f.TeamID)
	}
	if f.Priority != nil {
		set("priority", string(*f.Priority))
	}
	if f.Tags != nil {
		set("tags", joinTags(*f.Tags))
	}
	if f.Category != nil {
		set("category", *f.Category)
	}
	if f.Handoff != nil {
		set("handoff", boolInt(*f.Handoff))
	}
	if f.ConfirmedBy != nil {
		set("confirmed_by", *f.ConfirmedBy)
		set("confirmed_at", ms(at)*boolInt(*f.ConfirmedBy != ""))
	}
	tk, err := scanTicket(t.q.QueryRowContext(ctx, `UPDATE tickets SET `+strings.Join(sets, ", ")+`
		WHERE id = $1 AND status <> 'closed' RETURNING `+ticketColsBare, args...))
	return tk, wrap(err, "set fields of ticket %s", id)
}

// visibleTickets is the SQL condition on tickets t of the agents' rule
// (desk.Visibility): not yet routed to a team, of one of their teams, or
// assigned to or owned by them. arg binds a value and returns its
// placeholder.
func visibleTickets(v *desk.Visibility, arg func(any) string) string {
	or := []string{"t.team_id = ''"}
	if len(v.TeamIDs) > 0 {
		ps := make([]string, len(v.TeamIDs))
		for i, id := range v.TeamIDs {
			ps[i] = arg(id)
		}
		or = append(or, "t.team_id IN ("+strings.Join(ps, ", ")+")")
	}
	if v.AgentID != "" {
		a := arg(v.AgentID)
		or = append(or, "t.assignee_id = "+a, "t.owner_id = "+a)
	}
	return "(" + strings.Join(or, " OR ") + ")"
}
