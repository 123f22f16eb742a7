package bottest

import (
	"fmt"
	"strings"
	"time"
)

// User is a Telegram user the test acts as. Its private chat with the bot
// has the chat id ID.
type User struct {
	ID           int64
	FirstName    string
	Username     string
	LanguageCode string
}

// Message is one message of a chat transcript, as the user would see it
// now (after edits). Values returned by Server methods are copies.
type Message struct {
	// ID is the message id, increasing per chat from 1 and shared by the
	// bot's and the user's messages, as in a real private chat.
	ID     int
	ChatID int64
	// FromBot is true for messages the bot sent and false for those the
	// test sent as a user.
	FromBot bool
	// Text is the text as sent, markup (HTML tags, Markdown) included.
	Text string
	// ParseMode is the parse_mode the text or caption was sent with, ""
	// for none.
	ParseMode string
	// Inline is the inline keyboard, nil when there is none.
	Inline [][]Button
	// Reply is the reply keyboard sent with the message, nil when none.
	Reply [][]ReplyButton
	// RemoveKeyboard is true when the message carried remove_keyboard.
	RemoveKeyboard bool
	// Deleted is true once the bot deleted the message.
	Deleted bool
	// Edits counts successful editMessage* calls on the message.
	Edits int
	// Document and Photo are the uploaded file, nil for other messages.
	Document *File
	Photo    *File
	// Caption is the caption of a document or photo.
	Caption string
	// Contact is the phone number a user shared with SendContact.
	Contact string
	// Date is when the message was sent.
	Date time.Time

	from     *User
	contact  *wireContact
	editDate time.Time
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	// Data is the callback_data verbatim; telebot buttons send
	// "\f<unique>|<data>".
	Data string
	URL  string
}

// ReplyButton is a reply keyboard button.
type ReplyButton struct {
	Text           string
	RequestContact bool
}

// File is a document or photo the bot uploaded (or re-sent by file_id).
type File struct {
	// Name is the file name from the upload; photos usually have none.
	Name string
	Data []byte
	// ID is the file_id the server assigned; sending it again as the
	// document or photo parameter re-sends the same bytes.
	ID string
}

// Buttons returns the labels of m's inline buttons, row by row.
func (m Message) Buttons() []string {
	var labels []string
	for _, row := range m.Inline {
		for _, b := range row {
			labels = append(labels, b.Text)
		}
	}
	return labels
}

// String renders m for test failure messages: a header line with the id,
// sender and text, then one line per keyboard row and attachment.
func (m Message) String() string {
	var b strings.Builder
	who := "user"
	if m.FromBot {
		who = "bot"
	}
	fmt.Fprintf(&b, "#%d %s: %q", m.ID, who, m.Text)
	var notes []string
	if m.ParseMode != "" {
		notes = append(notes, m.ParseMode)
	}
	if m.Edits > 0 {
		notes = append(notes, fmt.Sprintf("edited %dx", m.Edits))
	}
	if m.Deleted {
		notes = append(notes, "deleted")
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(notes, ", "))
	}
	for _, row := range m.Inline {
		b.WriteString("\n    ")
		for i, btn := range row {
			if i > 0 {
				b.WriteByte(' ')
			}
			switch {
			case btn.URL != "":
				fmt.Fprintf(&b, "[%s -> %s]", btn.Text, btn.URL)
			default:
				fmt.Fprintf(&b, "[%s]", btn.Text)
			}
		}
	}
	for _, row := range m.Reply {
		b.WriteString("\n    keyboard:")
		for _, btn := range row {
			if btn.RequestContact {
				fmt.Fprintf(&b, " [%s (contact)]", btn.Text)
			} else {
				fmt.Fprintf(&b, " [%s]", btn.Text)
			}
		}
	}
	if m.RemoveKeyboard {
		b.WriteString("\n    keyboard: removed")
	}
	if m.Contact != "" {
		fmt.Fprintf(&b, "\n    contact: %s", m.Contact)
	}
	for _, f := range []struct {
		kind string
		f    *File
	}{{"document", m.Document}, {"photo", m.Photo}} {
		if f.f != nil {
			fmt.Fprintf(&b, "\n    %s: %q, %d bytes", f.kind, f.f.Name, len(f.f.Data))
		}
	}
	if m.Caption != "" {
		fmt.Fprintf(&b, "\n    caption: %q", m.Caption)
	}
	return b.String()
}

// clone returns a deep copy of m, safe to hand out while the server keeps
// changing the original.
func (m *Message) clone() Message {
	c := *m
	if m.Inline != nil {
		c.Inline = make([][]Button, len(m.Inline))
		for i, row := range m.Inline {
			c.Inline[i] = append([]Button(nil), row...)
		}
	}
	if m.Reply != nil {
		c.Reply = make([][]ReplyButton, len(m.Reply))
		for i, row := range m.Reply {
			c.Reply[i] = append([]ReplyButton(nil), row...)
		}
	}
	c.Document = m.Document.clone()
	c.Photo = m.Photo.clone()
	return c
}

func (f *File) clone() *File {
	if f == nil {
		return nil
	}
	c := *f
	c.Data = append([]byte(nil), f.Data...)
	return &c
}

// inlineEqual reports whether two inline keyboards are the same to the
// user, treating nil and empty alike.
func inlineEqual(a, b [][]Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
