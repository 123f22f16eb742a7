package bottest

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SendText acts as u typing text in the private chat with the bot (chat
// id u.ID). The message joins the transcript and is queued for
// getUpdates; a leading /command gets a bot_command entity. It returns the
// user's message.
func (s *Server) SendText(u User, text string) Message {
	return s.sendUser(u, &Message{Text: text})
}

// SendContact acts as u tapping a request_contact reply button: a message
// sharing u's own contact with phone.
func (s *Server) SendContact(u User, phone string) Message {
	return s.sendUser(u, &Message{
		Contact: phone,
		contact: &wireContact{PhoneNumber: phone, FirstName: u.FirstName, UserID: u.ID},
	})
}

func (s *Server) sendUser(u User, m *Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(u.ID)
	user := u
	c.user = &user
	m.from = &user
	c.add(m)
	s.queueLocked(wireUpdate{Message: s.wireMessage(c, m)})
	return m.clone()
}

// queueLocked queues u for getUpdates with the next update_id.
func (s *Server) queueLocked(u wireUpdate) {
	u.UpdateID = s.nextUpdateID
	s.nextUpdateID++
	s.updates = append(s.updates, u)
	s.notifyLocked()
}

// Press acts as u pressing the inline button labelled label (exactly) on
// the newest non-deleted bot message in u's chat that has one. It sends a
// callback_query with the button's callback_data verbatim and blocks until
// the bot answers it with answerCallbackQuery, or fails after 15 s. The
// bot's handler may still be running when Press returns; use WaitFor for
// its effects.
func (s *Server) Press(u User, label string) error {
	s.mu.Lock()
	var target *Message
	var data string
	if c := s.chats[u.ID]; c != nil {
	search:
		for i := len(c.msgs) - 1; i >= 0; i-- {
			m := c.msgs[i]
			if !m.FromBot || m.Deleted {
				continue
			}
			for _, row := range m.Inline {
				for _, b := range row {
					if b.Text == label {
						if b.Data == "" {
							s.mu.Unlock()
							return fmt.Errorf("bottest: Press %q: message #%d: the button has no callback data (url %q)", label, m.ID, b.URL)
						}
						target, data = m, b.Data
						break search
					}
				}
			}
		}
	}
	if target == nil {
		dump := s.dumpLocked(u.ID)
		s.mu.Unlock()
		return fmt.Errorf("bottest: Press %q: no bot message in chat %d has that button; transcript:\n%s", label, u.ID, dump)
	}
	id := s.pressLocked(u, target, data)
	s.mu.Unlock()
	return s.waitAnswer(u.ID, id, fmt.Sprintf("Press %q", label))
}

// PressData acts as u pressing a button with callback data data on message
// messageID of u's chat, whether or not the message has such a button:
// a forged or replayed callback. Deleted messages can still be pressed.
// Like Press it waits for the bot's answer. It fails at once if the chat
// has no message messageID.
func (s *Server) PressData(u User, messageID int, data string) error {
	s.mu.Lock()
	var target *Message
	if c := s.chats[u.ID]; c != nil {
		target = c.find(messageID)
	}
	if target == nil {
		dump := s.dumpLocked(u.ID)
		s.mu.Unlock()
		return fmt.Errorf("bottest: PressData: chat %d has no message #%d; transcript:\n%s", u.ID, messageID, dump)
	}
	id := s.pressLocked(u, target, data)
	s.mu.Unlock()
	return s.waitAnswer(u.ID, id, fmt.Sprintf("PressData #%d %q", messageID, data))
}

// pressLocked queues a callback_query for data on m and returns its id.
func (s *Server) pressLocked(u User, m *Message, data string) string {
	s.nextCallback++
	id := fmt.Sprintf("%d%06d", botID, s.nextCallback)
	c := s.chatLocked(u.ID)
	s.callbacks[id] = &callbackQuery{}
	s.queueLocked(wireUpdate{Callback: &wireCallback{
		ID:           id,
		From:         u.wire(),
		Message:      s.wireMessage(c, m),
		ChatInstance: fmt.Sprintf("ci%d", u.ID),
		Data:         data,
	}})
	return id
}

func (s *Server) waitAnswer(chatID int64, callbackID, what string) error {
	err := s.waitUntil(context.Background(), s.answerTimeout, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.callbacks[callbackID].answered
	})
	if err != nil {
		return fmt.Errorf("bottest: %s: bot did not answer callback query %s (%w after %v); transcript:\n%s",
			what, callbackID, err, s.answerTimeout, s.dump(chatID))
	}
	return nil
}

// Transcript returns a copy of the chat's messages, bot's and user's,
// deleted ones included, in order.
func (s *Server) Transcript(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.transcriptLocked(chatID)
}

func (s *Server) transcriptLocked(chatID int64) []Message {
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Message, len(c.msgs))
	for i, m := range c.msgs {
		out[i] = m.clone()
	}
	return out
}

// Last returns the newest non-deleted message the bot sent to the chat,
// and false if there is none.
func (s *Server) Last(chatID int64) (Message, bool) {
	return newestBot(s.Transcript(chatID), func(Message) bool { return true })
}

// newestBot returns the newest non-deleted bot message of tr that
// satisfies pred.
func newestBot(tr []Message, pred func(Message) bool) (Message, bool) {
	for i := len(tr) - 1; i >= 0; i-- {
		if m := tr[i]; m.FromBot && !m.Deleted && pred(m) {
			return m, true
		}
	}
	return Message{}, false
}

// WaitFor waits up to timeout until some non-deleted bot message in the
// chat satisfies pred, checking again on every change rather than on a
// timer, and returns the newest such message. pred sees copies and may
// call Server methods. On timeout, or if the server closes, the error
// wraps ErrTimeout or ErrClosed and includes the transcript.
func (s *Server) WaitFor(chatID int64, timeout time.Duration, pred func(Message) bool) (Message, error) {
	var found Message
	err := s.waitUntil(context.Background(), timeout, func() bool {
		var ok bool
		found, ok = newestBot(s.Transcript(chatID), pred)
		return ok
	})
	if err != nil {
		return Message{}, fmt.Errorf("bottest: WaitFor chat %d: no matching bot message (%w after %v); transcript:\n%s",
			chatID, err, timeout, s.dump(chatID))
	}
	return found, nil
}

// WaitTranscript waits up to timeout until pred holds for the whole
// transcript of the chat (as Transcript returns it) and returns that
// transcript. Use it for conditions WaitFor cannot express, such as a
// deletion or a message count.
func (s *Server) WaitTranscript(chatID int64, timeout time.Duration, pred func([]Message) bool) ([]Message, error) {
	var got []Message
	err := s.waitUntil(context.Background(), timeout, func() bool {
		got = s.Transcript(chatID)
		return pred(got)
	})
	if err != nil {
		return got, fmt.Errorf("bottest: WaitTranscript chat %d: condition not met (%w after %v); transcript:\n%s",
			chatID, err, timeout, s.dump(chatID))
	}
	return got, nil
}

func (s *Server) dump(chatID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dumpLocked(chatID)
}

func (s *Server) dumpLocked(chatID int64) string {
	c := s.chats[chatID]
	if c == nil || len(c.msgs) == 0 {
		return "  (empty)"
	}
	var b strings.Builder
	for i, m := range c.msgs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("  ")
		b.WriteString(strings.ReplaceAll(m.clone().String(), "\n", "\n  "))
	}
	return b.String()
}
