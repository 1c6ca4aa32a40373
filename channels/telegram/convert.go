package telegram

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
)

// Bounds that keep every converted message acceptable to the desk, so a
// strange update can never wedge the poller in an endless retry.
const (
	maxTextBytes  = 32 << 10
	maxNameBytes  = 200
	maxLabelRunes = 200 // file names, titles and the like inside labels
)

// Texts stored for messages that carry no text of their own.
const (
	textOwnPhone     = "[shared own phone number]"
	textUnsupported  = "[unsupported message]"
	editedPrefix     = "[edited] "
	unreadablePrefix = "[partly unreadable] "
)

// conversion is what one update amounts to.
type conversion struct {
	in        *channels.Inbound // nil: nothing to store
	groupChat int64             // a group to ask, once, to write privately
	groupLang string            // the group writer's language_code, if Telegram sent one
	skip      string            // why nothing is stored, for the log
	linkErr   error             // a /start token that failed verification
	file      *fileRef          // a photo or document to download into in
}

// fileRef is a file a message announces, to be fetched with getFile.
type fileRef struct {
	ID   string
	Name string
	MIME string
	Size int64 // as announced; 0 when Telegram did not say
}

// Bounds of the name and type stored with an attachment.
const (
	maxFileNameBytes = 255
	maxMIMEBytes     = 127
)

// decodeUpdate reads one update. When the library's types refuse it (a
// field whose type Telegram changed, say) it falls back to the few fields
// we need, so the customer's words are still stored.
func decodeUpdate(raw []byte) (u tgbotapi.Update, partial bool, err error) {
	if err = json.Unmarshal(raw, &u); err == nil {
		return u, false, nil
	}
	var lu looseUpdate
	if lerr := json.Unmarshal(raw, &lu); lerr != nil {
		return tgbotapi.Update{}, false, fmt.Errorf("undecodable update: %w", err)
	}
	return lu.update(), true, nil
}

type looseUpdate struct {
	UpdateID      int           `json:"update_id"`
	Message       *looseMessage `json:"message"`
	EditedMessage *looseMessage `json:"edited_message"`
}

type looseMessage struct {
	MessageID int    `json:"message_id"`
	Date      int    `json:"date"`
	EditDate  int    `json:"edit_date"`
	Text      string `json:"text"`
	Caption   string `json:"caption"`
	Chat      *struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	} `json:"chat"`
	From *struct {
		ID        int64  `json:"id"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		UserName  string `json:"username"`
	} `json:"from"`
}

func (lu looseUpdate) update() tgbotapi.Update {
	conv := func(lm *looseMessage) *tgbotapi.Message {
		if lm == nil {
			return nil
		}
		m := &tgbotapi.Message{MessageID: lm.MessageID, Date: lm.Date, EditDate: lm.EditDate, Text: lm.Text, Caption: lm.Caption}
		if lm.Chat != nil {
			m.Chat = &tgbotapi.Chat{ID: lm.Chat.ID, Type: lm.Chat.Type}
		}
		if lm.From != nil {
			m.From = &tgbotapi.User{ID: lm.From.ID, FirstName: lm.From.FirstName, LastName: lm.From.LastName, UserName: lm.From.UserName}
		}
		return m
	}
	return tgbotapi.Update{UpdateID: lu.UpdateID, Message: conv(lu.Message), EditedMessage: conv(lu.EditedMessage)}
}

// convertUpdate turns an update of bot cfg into an inbound message. It is
// total: any update yields a conversion, never a panic.
func convertUpdate(cfg Config, u *tgbotapi.Update, partial bool, now time.Time) conversion {
	m, edited := u.Message, false
	if m == nil && u.EditedMessage != nil {
		m, edited = u.EditedMessage, true
	}
	if m == nil {
		switch {
		case u.ChannelPost != nil && u.ChannelPost.Chat != nil:
			return conversion{groupChat: u.ChannelPost.Chat.ID, skip: "channel post"}
		case u.EditedChannelPost != nil:
			return conversion{skip: "edited channel post"}
		}
		return conversion{skip: "update without a message"}
	}
	if m.Chat == nil {
		return conversion{skip: "message without a chat"}
	}
	if m.Chat.Type != "private" && !cfg.AllowGroups {
		if edited {
			return conversion{skip: "edited group message"}
		}
		c := conversion{groupChat: m.Chat.ID, skip: m.Chat.Type + " chat"}
		if m.From != nil {
			c.groupLang = m.From.LanguageCode
		}
		return c
	}
	from := sender(m)
	if from.Value == "" {
		return conversion{skip: "message without a sender"}
	}
	var res conversion
	text, links := "", []channels.Party(nil)
	switch {
	case m.Contact != nil:
		text, links = contactText(m)
	case isStart(m.Text):
		text = "/start"
		if payload := startPayload(m.Text); payload != "" && cfg.LinkSecret != "" {
			customerNo, err := VerifyLink(cfg.LinkSecret, payload, now, LinkMaxAge)
			if err != nil {
				res.linkErr = err
			} else {
				links = []channels.Party{{Kind: "customer_no", Value: customerNo, Verified: true, Method: "telegram_deeplink"}}
			}
		}
	default:
		text = messageText(m)
		res.file = messageFile(m, cfg.MaxFileBytes)
	}
	if isForwarded(m) {
		text = "[forwarded] " + text
	}
	if edited {
		text = editedPrefix + text
	}
	if partial {
		text = unreadablePrefix + text
	}
	text = truncateBytes(clean(text), maxTextBytes)
	if strings.TrimSpace(text) == "" {
		// The desk refuses blank messages; a refusal would stall the poller.
		text = textUnsupported
	}
	res.in = &channels.Inbound{
		Channel:    ChannelName,
		ExternalID: cfg.Name + ":" + strconv.Itoa(u.UpdateID),
		ThreadKey:  ThreadKey(cfg.Name, m.Chat.ID),
		From:       from,
		Text:       text,
		ReceivedAt: messageTime(m, edited, now),
		Links:      links,
	}
	return res
}

// sender is the customer behind a message; in a private chat the chat is
// the user, which covers a message whose from is missing.
func sender(m *tgbotapi.Message) channels.Party {
	var id int64
	var first, last, user string
	switch {
	case m.From != nil:
		id, first, last, user = m.From.ID, m.From.FirstName, m.From.LastName, m.From.UserName
	case m.Chat.Type == "private":
		id, first, last, user = m.Chat.ID, m.Chat.FirstName, m.Chat.LastName, m.Chat.UserName
	default:
		return channels.Party{}
	}
	name := strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last))
	if name == "" && user != "" {
		name = "@" + user
	}
	return channels.Party{Kind: "telegram", Value: strconv.FormatInt(id, 10), Name: truncateBytes(clean(name), maxNameBytes)}
}

func isForwarded(m *tgbotapi.Message) bool {
	return m.ForwardFrom != nil || m.ForwardFromChat != nil || m.ForwardSenderName != "" || m.ForwardDate != 0
}

// messageTime is when the customer wrote, unless the claimed time is absurd.
func messageTime(m *tgbotapi.Message, edited bool, now time.Time) time.Time {
	sec := m.Date
	if edited && m.EditDate != 0 {
		sec = m.EditDate
	}
	t := time.Unix(int64(sec), 0)
	if sec <= 0 || t.After(now.Add(time.Hour)) || t.Before(now.AddDate(-1, 0, 0)) {
		return now
	}
	return t
}

func isStart(text string) bool {
	cmd, _, _ := strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return cmd == "/start"
}

func startPayload(text string) string {
	_, payload, _ := strings.Cut(text, " ")
	return strings.TrimSpace(payload)
}

// contactText handles a shared contact. Only the sender's own contact is
// a phone number Telegram vouches for (it comes from the account itself);
// anyone else's card is just text the customer typed into their phone.
func contactText(m *tgbotapi.Message) (string, []channels.Party) {
	ct := m.Contact
	if ct.UserID != 0 && m.From != nil && ct.UserID == m.From.ID {
		if phone, ok := normalisePhone(ct.PhoneNumber); ok {
			return textOwnPhone, []channels.Party{{Kind: "phone", Value: phone, Verified: true, Method: "telegram_contact"}}
		}
		return "[shared own phone number, unreadable: " + short(ct.PhoneNumber) + "]", nil
	}
	name := strings.TrimSpace(ct.FirstName + " " + ct.LastName)
	return "[contact " + short(name) + " " + short(ct.PhoneNumber) + "]", nil
}

// normalisePhone makes +E.164 of what Telegram sends ("8613800138000",
// sometimes with a + or spaces).
func normalisePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "+")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", false
		}
	}
	d := strings.TrimPrefix(b.String(), "00")
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", false
	}
	return "+" + d, true
}

// messageFile is the photo or document of m worth downloading. Other
// media stay labels: voice, video and stickers are rarely what an agent
// needs and are the bulk of the bytes.
func messageFile(m *tgbotapi.Message, limit int64) *fileRef {
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	switch {
	case m.Animation != nil:
		return nil // its document is the animation itself
	case len(m.Photo) > 0:
		p := pickPhoto(m.Photo, limit)
		if p.FileID == "" {
			return nil
		}
		return &fileRef{ID: p.FileID, Name: "photo.jpg", MIME: "image/jpeg", Size: int64(p.FileSize)}
	case m.Document != nil && m.Document.FileID != "":
		d := m.Document
		return &fileRef{ID: d.FileID, Name: truncateBytes(clean(short(d.FileName)), maxFileNameBytes),
			MIME: truncateBytes(clean(strings.TrimSpace(d.MimeType)), maxMIMEBytes), Size: int64(d.FileSize)}
	}
	return nil
}

// pickPhoto chooses the largest size of a photo that fits limit; a size
// without file_size is taken on trust (the download enforces the limit).
// When none fits it returns the smallest, whose size then explains why
// nothing was downloaded.
func pickPhoto(sizes []tgbotapi.PhotoSize, limit int64) tgbotapi.PhotoSize {
	var best, smallest tgbotapi.PhotoSize
	found := false
	for i, p := range sizes {
		if p.FileID == "" {
			continue
		}
		if i == 0 || smallest.FileID == "" || p.FileSize < smallest.FileSize {
			smallest = p
		}
		if int64(p.FileSize) > limit {
			continue
		}
		if !found || photoLarger(p, best) {
			best, found = p, true
		}
	}
	if !found {
		return smallest
	}
	return best
}

func photoLarger(a, b tgbotapi.PhotoSize) bool {
	aa, ba := int64(a.Width)*int64(a.Height), int64(b.Width)*int64(b.Height)
	if aa != ba {
		return aa > ba
	}
	return a.FileSize > b.FileSize
}

// messageText labels what is not text, keeping any caption.
func messageText(m *tgbotapi.Message) string {
	var label string
	switch {
	case m.Animation != nil:
		label = "[animation]" // also carries a document; label it once
	case len(m.Photo) > 0:
		label = "[photo]"
	case m.Document != nil:
		label = bracket("document", short(m.Document.FileName))
	case m.Sticker != nil:
		label = bracket("sticker", short(m.Sticker.Emoji))
	case m.Voice != nil:
		label = fmt.Sprintf("[voice %ds]", max(m.Voice.Duration, 0))
	case m.VideoNote != nil:
		label = fmt.Sprintf("[video note %ds]", max(m.VideoNote.Duration, 0))
	case m.Video != nil:
		label = fmt.Sprintf("[video %ds]", max(m.Video.Duration, 0))
	case m.Audio != nil:
		title := strings.TrimSpace(m.Audio.Title)
		if p := strings.TrimSpace(m.Audio.Performer); p != "" && title != "" {
			title = p + " - " + title
		} else if p != "" {
			title = p
		}
		label = bracket("audio", short(title)+fmt.Sprintf(" %ds", max(m.Audio.Duration, 0)))
	case m.Venue != nil:
		label = bracket("venue", short(m.Venue.Title+", "+m.Venue.Address)+" "+latLon(m.Venue.Location))
	case m.Location != nil:
		label = bracket("location", latLon(*m.Location))
	case m.Poll != nil:
		label = bracket("poll", short(m.Poll.Question))
	case m.Dice != nil:
		label = bracket("dice", short(m.Dice.Emoji)+" "+strconv.Itoa(m.Dice.Value))
	}
	var parts []string
	for _, p := range []string{label, m.Text, m.Caption} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return textUnsupported
	}
	return strings.Join(parts, " ")
}

func bracket(kind, detail string) string {
	detail = strings.TrimSpace(detail)
	if detail == "" {
		return "[" + kind + "]"
	}
	return "[" + kind + " " + detail + "]"
}

func latLon(l tgbotapi.Location) string {
	return strconv.FormatFloat(l.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(l.Longitude, 'f', -1, 64)
}

// short keeps customer-supplied labels (file names, titles) on one line
// and of reasonable length.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxLabelRunes {
		s = string([]rune(s)[:maxLabelRunes-1]) + "…"
	}
	return s
}

// clean makes s storable on every database: valid UTF-8, no NUL.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
