package bottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// handler answers one Bot API method: a result to send as "result", or
// an error answer.
type handler func(s *Server, r *request) (any, *apiError)

// handlers lists the methods the fake implements. Any other method answers
// 404 "Not Found: method not found".
var handlers = map[string]handler{
	"getMe":                  (*Server).getMe,
	"getUpdates":             (*Server).getUpdates,
	"sendMessage":            (*Server).sendMessage,
	"sendDocument":           func(s *Server, r *request) (any, *apiError) { return s.sendMedia(r, "document") },
	"sendPhoto":              func(s *Server, r *request) (any, *apiError) { return s.sendMedia(r, "photo") },
	"editMessageText":        (*Server).editMessageText,
	"editMessageCaption":     (*Server).editMessageCaption,
	"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
	"answerCallbackQuery":    (*Server).answerCallbackQuery,
	"deleteMessage":          (*Server).deleteMessage,
	"deleteMessages":         (*Server).deleteMessages,
	"setMyCommands":          (*Server).setMyCommands,
	"getMyCommands":          (*Server).getMyCommands,
	"deleteMyCommands":       (*Server).deleteMyCommands,
	"getWebhookInfo":         (*Server).getWebhookInfo,
	"deleteWebhook":          answerTrue,
	"setWebhook":             answerTrue,
	"sendChatAction":         answerTrue,
	"setChatMenuButton":      answerTrue,
	"setMyDescription":       answerTrue,
	"setMyShortDescription":  answerTrue,
	"setMyName":              answerTrue,
	"logOut":                 answerTrue,
	"close":                  answerTrue,
}

func answerTrue(*Server, *request) (any, *apiError) { return true, nil }

func (s *Server) getMe(*request) (any, *apiError) { return s.bot, nil }

// getUpdates returns queued updates from offset on, waiting up to timeout
// seconds for one to arrive. An offset confirms, and so drops, every
// update before it. It returns an empty result at once when the server
// closes or the client goes away.
func (s *Server) getUpdates(r *request) (any, *apiError) {
	offset, _ := strconv.Atoi(r.params["offset"])
	limit := 100
	if l, err := strconv.Atoi(r.params["limit"]); err == nil && l >= 1 && l <= 100 {
		limit = l
	}
	timeout, _ := strconv.Atoi(r.params["timeout"])
	out := []wireUpdate{}
	s.waitUntil(r.ctx, time.Duration(max(timeout, 0))*time.Second, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		if offset > 0 {
			n := 0
			for n < len(s.updates) && s.updates[n].UpdateID < offset {
				n++
			}
			s.updates = s.updates[n:]
		}
		if len(s.updates) == 0 {
			return false
		}
		out = append(out, s.updates[:min(limit, len(s.updates))]...)
		return true
	})
	return out, nil
}

func (s *Server) getWebhookInfo(*request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.updates)}, nil
}

func (s *Server) sendMessage(r *request) (any, *apiError) {
	chatID, e := chatIDParam(r.params)
	if e != nil {
		return nil, e
	}
	text, parseMode := r.params["text"], r.params["parse_mode"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	if e := checkText(text, parseMode, maxTextLen, "message is too long"); e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	m := c.add(&Message{FromBot: true, Text: text, ParseMode: parseMode})
	mk.apply(m)
	s.notifyLocked()
	return s.wireMessage(c, m), nil
}

// sendMedia answers sendDocument and sendPhoto. The file is a multipart
// upload, an "attach://<field>" reference to one, or the file_id of a file
// sent before.
func (s *Server) sendMedia(r *request, kind string) (any, *apiError) {
	chatID, e := chatIDParam(r.params)
	if e != nil {
		return nil, e
	}
	caption, parseMode := r.params["caption"], r.params["parse_mode"]
	if e := checkText(caption, parseMode, maxCaptionLen, "message caption is too long"); e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := r.params[kind]
	field := kind
	if name, ok := strings.CutPrefix(ref, "attach://"); ok {
		field = name
	}
	f, uploaded := r.files[field]
	switch {
	case uploaded:
		if f.Name == "" && kind == "document" {
			f.Name = r.params["file_name"]
		}
		s.nextFile++
		f.ID = fmt.Sprintf("%s-%d", kind, s.nextFile)
		s.files[f.ID] = f
	case ref != "":
		known, ok := s.files[ref]
		if !ok {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		f = known
	default:
		return nil, badRequest("there is no %s in the request", kind)
	}
	c := s.chatLocked(chatID)
	m := c.add(&Message{FromBot: true, Caption: caption, ParseMode: parseMode})
	if kind == "document" {
		m.Document = f.clone()
	} else {
		m.Photo = f.clone()
	}
	mk.apply(m)
	s.notifyLocked()
	return s.wireMessage(c, m), nil
}

// notModified is Telegram's answer to an edit that changes nothing.
var notModified = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")

func (s *Server) editMessageText(r *request) (any, *apiError) {
	text, parseMode := r.params["text"], r.params["parse_mode"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	if e := checkText(text, parseMode, maxTextLen, "message is too long"); e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, e := s.editableLocked(r.params)
	if e != nil {
		return nil, e
	}
	if m.Document != nil || m.Photo != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	if m.Text == text && m.ParseMode == parseMode && inlineEqual(m.Inline, mk.inline) {
		return nil, notModified
	}
	m.Text, m.ParseMode, m.Inline = text, parseMode, mk.inline
	return s.editedLocked(c, m), nil
}

func (s *Server) editMessageCaption(r *request) (any, *apiError) {
	caption, parseMode := r.params["caption"], r.params["parse_mode"]
	if e := checkText(caption, parseMode, maxCaptionLen, "message caption is too long"); e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, e := s.editableLocked(r.params)
	if e != nil {
		return nil, e
	}
	if m.Document == nil && m.Photo == nil {
		return nil, badRequest("there is no caption in the message to edit")
	}
	if m.Caption == caption && m.ParseMode == parseMode && inlineEqual(m.Inline, mk.inline) {
		return nil, notModified
	}
	m.Caption, m.ParseMode, m.Inline = caption, parseMode, mk.inline
	return s.editedLocked(c, m), nil
}

func (s *Server) editMessageReplyMarkup(r *request) (any, *apiError) {
	mk, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, e := s.editableLocked(r.params)
	if e != nil {
		return nil, e
	}
	if inlineEqual(m.Inline, mk.inline) {
		return nil, notModified
	}
	m.Inline = mk.inline
	return s.editedLocked(c, m), nil
}

// editableLocked finds the bot message an edit call names.
func (s *Server) editableLocked(p map[string]string) (*chat, *Message, *apiError) {
	c, m := s.messageLocked(p)
	if m == nil || m.Deleted {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.FromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	// Telegram edits only messages without reply_markup or with an inline
	// keyboard: one sent with a reply keyboard (or its removal) is final.
	if m.Reply != nil || m.RemoveKeyboard {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

func (s *Server) editedLocked(c *chat, m *Message) *wireMessage {
	m.Edits++
	m.editDate = time.Now()
	s.notifyLocked()
	return s.wireMessage(c, m)
}

// messageLocked finds the message named by chat_id and message_id, nil if
// there is none.
func (s *Server) messageLocked(p map[string]string) (*chat, *Message) {
	chatID, err1 := strconv.ParseInt(p["chat_id"], 10, 64)
	msgID, err2 := strconv.Atoi(p["message_id"])
	if err1 != nil || err2 != nil {
		return nil, nil
	}
	c := s.chats[chatID]
	if c == nil {
		return nil, nil
	}
	return c, c.find(msgID)
}

func (s *Server) answerCallbackQuery(r *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks[r.params["callback_query_id"]]
	if cb == nil || cb.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	cb.answered = true
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteMessage(r *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, m := s.messageLocked(r.params)
	if m == nil || m.Deleted {
		return nil, badRequest("message to delete not found")
	}
	m.Deleted = true
	s.notifyLocked()
	return true, nil
}

// deleteMessages deletes the messages of message_ids that exist and skips
// the rest, as Telegram does.
func (s *Server) deleteMessages(r *request) (any, *apiError) {
	chatID, e := chatIDParam(r.params)
	if e != nil {
		return nil, e
	}
	var ids []int
	if err := json.Unmarshal([]byte(r.params["message_ids"]), &ids); err != nil || len(ids) == 0 {
		return nil, badRequest("message identifiers are not specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		for _, id := range ids {
			if m := c.find(id); m != nil {
				m.Deleted = true
			}
		}
	}
	s.notifyLocked()
	return true, nil
}

var commandRx = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(r *request) (any, *apiError) {
	raw := r.params["commands"]
	var cmds []struct {
		Command     string `json:"command"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(raw), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	for _, c := range cmds {
		if !commandRx.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n < 1 || n > 256 {
			return nil, badRequest("command description is invalid")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = raw
	return true, nil
}

func (s *Server) getMyCommands(*request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.commands == "" || s.commands == "null" {
		return []any{}, nil
	}
	return json.RawMessage(s.commands), nil
}

func (s *Server) deleteMyCommands(*request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = ""
	return true, nil
}

func chatIDParam(p map[string]string) (int64, *apiError) {
	raw := p["chat_id"]
	if raw == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// markup is a parsed reply_markup.
type markup struct {
	inline [][]Button
	reply  [][]ReplyButton
	remove bool
}

// parseMarkup parses a reply_markup parameter, rejecting callback data
// Telegram would reject.
func parseMarkup(raw string) (markup, *apiError) {
	var mk markup
	if raw == "" || raw == "null" {
		return mk, nil
	}
	var w wireMarkup
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		return mk, badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range w.InlineKeyboard {
		var r []Button
		for _, b := range row {
			if len(b.Data) > maxDataLen {
				return mk, &apiError{code: http.StatusBadRequest, description: "Bad Request: BUTTON_DATA_INVALID"}
			}
			r = append(r, Button{Text: b.Text, Data: b.Data, URL: b.URL})
		}
		if len(r) > 0 {
			mk.inline = append(mk.inline, r)
		}
	}
	for _, row := range w.Keyboard {
		var r []ReplyButton
		for _, b := range row {
			r = append(r, ReplyButton{Text: b.Text, RequestContact: b.RequestContact})
		}
		if len(r) > 0 {
			mk.reply = append(mk.reply, r)
		}
	}
	mk.remove = w.RemoveKeyboard
	return mk, nil
}

func (mk markup) apply(m *Message) {
	m.Inline, m.Reply, m.RemoveKeyboard = mk.inline, mk.reply, mk.remove
}

// chatLocked returns the chat with id, creating it on first use.
func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{id: id, nextID: 1}
		s.chats[id] = c
	}
	return c
}

// add appends m to the transcript, giving it the next id and the date.
func (c *chat) add(m *Message) *Message {
	m.ID = c.nextID
	c.nextID++
	m.ChatID = c.id
	m.Date = time.Now()
	c.msgs = append(c.msgs, m)
	return m
}

func (c *chat) find(id int) *Message {
	for _, m := range c.msgs {
		if m.ID == id {
			return m
		}
	}
	return nil
}
