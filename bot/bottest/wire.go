package bottest

import "unicode/utf16"

// This file holds the JSON shapes of the Bot API objects the server sends
// and receives. Only the fields the fake uses are present.

type wireUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`

	// Only in getMe.
	CanJoinGroups           *bool `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages *bool `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   *bool `json:"supports_inline_queries,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	FirstName string `json:"first_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireContact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	UserID      int64  `json:"user_id,omitempty"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	FileSize     int    `json:"file_size"`
}

type wirePhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size"`
}

type wireInlineButton struct {
	Text string `json:"text"`
	Data string `json:"callback_data,omitempty"`
	URL  string `json:"url,omitempty"`
}

type wireReplyButton struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

type wireMarkup struct {
	InlineKeyboard [][]wireInlineButton `json:"inline_keyboard,omitempty"`
	Keyboard       [][]wireReplyButton  `json:"keyboard,omitempty"`
	RemoveKeyboard bool                 `json:"remove_keyboard,omitempty"`
}

type wireMessage struct {
	MessageID   int             `json:"message_id"`
	From        *wireUser       `json:"from,omitempty"`
	Chat        wireChat        `json:"chat"`
	Date        int64           `json:"date"`
	EditDate    int64           `json:"edit_date,omitempty"`
	Text        string          `json:"text,omitempty"`
	Entities    []wireEntity    `json:"entities,omitempty"`
	Caption     string          `json:"caption,omitempty"`
	Contact     *wireContact    `json:"contact,omitempty"`
	Document    *wireDocument   `json:"document,omitempty"`
	Photo       []wirePhotoSize `json:"photo,omitempty"`
	ReplyMarkup *wireMarkup     `json:"reply_markup,omitempty"`
}

type wireCallback struct {
	ID           string       `json:"id"`
	From         wireUser     `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type wireUpdate struct {
	UpdateID int           `json:"update_id"`
	Message  *wireMessage  `json:"message,omitempty"`
	Callback *wireCallback `json:"callback_query,omitempty"`
}

type wireResponse struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *wireParameters `json:"parameters,omitempty"`
}

type wireParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

func (u User) wire() wireUser {
	return wireUser{ID: u.ID, FirstName: u.FirstName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// wireMessage renders m as Telegram would send it. Only inline keyboards
// are echoed back, as in the real API.
func (s *Server) wireMessage(c *chat, m *Message) *wireMessage {
	w := &wireMessage{
		MessageID: m.ID,
		Chat:      c.wire(),
		Date:      m.Date.Unix(),
		Text:      m.Text,
		Caption:   m.Caption,
	}
	if m.FromBot {
		bot := s.bot
		w.From = &bot
	} else if m.from != nil {
		from := m.from.wire()
		w.From = &from
	}
	if m.Edits > 0 {
		w.EditDate = m.editDate.Unix()
	}
	if !m.FromBot {
		w.Entities = commandEntities(m.Text)
	}
	if m.contact != nil {
		w.Contact = m.contact
	}
	if f := m.Document; f != nil {
		w.Document = &wireDocument{FileID: f.ID, FileUniqueID: "u" + f.ID, FileName: f.Name, FileSize: len(f.Data)}
	}
	if f := m.Photo; f != nil {
		w.Photo = []wirePhotoSize{{FileID: f.ID, FileUniqueID: "u" + f.ID, Width: 90, Height: 90, FileSize: len(f.Data)}}
	}
	if len(m.Inline) > 0 {
		mk := &wireMarkup{}
		for _, row := range m.Inline {
			var wr []wireInlineButton
			for _, b := range row {
				wr = append(wr, wireInlineButton{Text: b.Text, Data: b.Data, URL: b.URL})
			}
			mk.InlineKeyboard = append(mk.InlineKeyboard, wr)
		}
		w.ReplyMarkup = mk
	}
	return w
}

func (c *chat) wire() wireChat {
	w := wireChat{ID: c.id, Type: "private"}
	if c.id < 0 {
		w.Type = "supergroup"
	}
	if c.user != nil {
		w.FirstName = c.user.FirstName
		w.Username = c.user.Username
	}
	return w
}

// commandEntities marks a leading /command as a bot_command entity, as
// Telegram does for messages users type.
func commandEntities(text string) []wireEntity {
	if len(text) < 2 || text[0] != '/' {
		return nil
	}
	end := len(text)
	for i, r := range text {
		if r == ' ' || r == '\n' || r == '\t' {
			end = i
			break
		}
	}
	return []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(text[:end])}}
}

// utf16Len is the length of s in UTF-16 code units, the unit Telegram uses
// for text lengths and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
