package userbot

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Send sends text from the owner's account to chat c, as a reply to message
// replyTo when it is not 0, and returns the new message's id. Userbots stay
// passive: call it only for a reply the owner approved.
func (m *Manager) Send(ctx context.Context, ownerID int64, c Chat, replyTo int, text string) (int, error) {
	_, api, err := m.running(ownerID)
	if err != nil {
		return 0, err
	}
	if err := m.budgets.take(ownerID, BudgetSend, m.cfg.Now()); err != nil {
		return 0, err
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return 0, fmt.Errorf("userbot: send: %w", err)
	}
	req := &tg.MessagesSendMessageRequest{
		Peer:     inputPeer(store.Chat{ID: c.ID, AccessHash: c.AccessHash, Type: c.Type}),
		Message:  text,
		RandomID: int64(binary.LittleEndian.Uint64(rnd[:])),
	}
	if replyTo != 0 {
		req.SetReplyTo(&tg.InputReplyToMessage{ReplyToMsgID: replyTo})
	}
	res, err := api.MessagesSendMessage(ctx, req)
	if err != nil {
		return 0, accountError("send", err)
	}
	if id := sentID(res, req.RandomID); id != 0 {
		return id, nil
	}
	return 0, fmt.Errorf("userbot: send: no message id in %T", res)
}

// sentID finds the id Telegram gave the message sent with randomID.
func sentID(res tg.UpdatesClass, randomID int64) int {
	switch r := res.(type) {
	case *tg.UpdateShortSentMessage:
		return r.ID
	case *tg.Updates:
		return updatesSentID(r.Updates, randomID)
	case *tg.UpdatesCombined:
		return updatesSentID(r.Updates, randomID)
	}
	return 0
}

func updatesSentID(us []tg.UpdateClass, randomID int64) int {
	for _, u := range us {
		if u, ok := u.(*tg.UpdateMessageID); ok && u.RandomID == randomID {
			return u.ID
		}
	}
	return 0
}

// Search finds public supergroups and channels by title or username
// (contacts.search). The account may or may not be a member of them.
func (m *Manager) Search(ctx context.Context, ownerID int64, query string, limit int) ([]Chat, error) {
	_, api, err := m.running(ownerID)
	if err != nil {
		return nil, err
	}
	if err := m.budgets.take(ownerID, BudgetSearch, m.cfg.Now()); err != nil {
		return nil, err
	}
	found, err := api.ContactsSearch(ctx, &tg.ContactsSearchRequest{Q: query, Limit: limit})
	if err != nil {
		return nil, accountError("search", err)
	}
	var out []Chat
	for _, cc := range found.Chats {
		if c, ok := cc.(*tg.Channel); ok && c.Username != "" {
			out = append(out, channelChat(c))
		}
	}
	return out, nil
}

func channelChat(c *tg.Channel) Chat {
	ch := Chat{ID: c.ID, AccessHash: c.AccessHash, Title: c.Title, Type: store.ChatSupergroup, Username: c.Username}
	if c.Broadcast {
		ch.Type = store.ChatChannel
	}
	ch.Members, _ = c.GetParticipantsCount()
	return ch
}

// Join makes the owner's account join a public supergroup or channel by
// username (with or without "@" or "t.me/") and counts it in
// Status.ChannelsJoined.
func (m *Manager) Join(ctx context.Context, ownerID int64, username string) (Chat, error) {
	_, api, err := m.running(ownerID)
	if err != nil {
		return Chat{}, err
	}
	if err := m.budgets.take(ownerID, BudgetJoin, m.cfg.Now()); err != nil {
		return Chat{}, err
	}
	name := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(username), "https://"), "t.me/")
	name = strings.TrimPrefix(name, "@")
	resolved, err := api.ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: name})
	if err != nil {
		return Chat{}, accountError("resolve username", err)
	}
	var ch *tg.Channel
	for _, cc := range resolved.Chats {
		if c, ok := cc.(*tg.Channel); ok {
			ch = c
		}
	}
	if ch == nil {
		return Chat{}, fmt.Errorf("userbot: join: @%s is not a group or channel", name)
	}
	_, err = api.ChannelsJoinChannel(ctx, &tg.InputChannel{ChannelID: ch.ID, AccessHash: ch.AccessHash})
	if tgerr.Is(err, "CHANNELS_TOO_MUCH") {
		return Chat{}, ErrTooManyChannels
	}
	if err != nil {
		return Chat{}, accountError("join", err)
	}
	if err := m.updateAccount(ownerID, func(a *store.Account) { a.ChannelsJoined++ }); err != nil {
		m.log.Error("userbot: save joined channels", "owner_id", ownerID, "error", err)
	}
	return channelChat(ch), nil
}
