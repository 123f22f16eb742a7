package userbot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gotd/td/telegram/query"
	"github.com/gotd/td/tg"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Chat is a group, supergroup or channel of an owner's account.
type Chat struct {
	// ID is the MTProto id: chat_id of a basic group, channel_id otherwise.
	ID         int64
	AccessHash int64 // 0 for basic groups
	Title      string
	// Type is store.ChatGroup, store.ChatSupergroup or store.ChatChannel.
	Type     string
	Username string // without "@"; "" for private chats
	Members  int
}

// maxFullChannel bounds the channels.getFullChannel calls one Dialogs call
// makes for channels whose dialog entry has no participants count.
const maxFullChannel = 20

// running returns the owner's running account.
func (m *Manager) running(ownerID int64) (*account, *tg.Client, error) {
	m.mu.Lock()
	a := m.accounts[ownerID]
	m.mu.Unlock()
	if a == nil || a.isEnded() {
		return nil, nil, ErrNotConnected
	}
	a.mu.Lock()
	c := a.client
	a.mu.Unlock()
	if c == nil {
		return nil, nil, ErrNotConnected
	}
	return a, c.API(), nil
}

// accountError maps errors of calls made with a connected account.
func accountError(op string, err error) error {
	var fw *FloodWaitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fw):
		return fw
	case fatalState(err) == StateBanned:
		return ErrAccountBanned
	case fatalState(err) == StateNeedsLogin:
		return ErrSessionRevoked
	}
	return fmt.Errorf("userbot: %s: %w", op, err)
}

// Dialogs lists the groups, supergroups and channels of the owner's
// account (no private chats), newest activity first, and records how many
// channels the account has joined.
func (m *Manager) Dialogs(ctx context.Context, ownerID int64) ([]Chat, error) {
	a, api, err := m.running(ownerID)
	if err != nil {
		return nil, err
	}
	var (
		out    []Chat
		joined int
		full   int
	)
	iter := query.GetDialogs(api).BatchSize(100).Iter()
	for iter.Next(ctx) {
		e := iter.Value()
		switch p := e.Peer.(type) {
		case *tg.InputPeerChat:
			c, ok := e.Entities.Chat(p.ChatID)
			if !ok || c.Left || c.Deactivated {
				continue
			}
			out = append(out, Chat{ID: c.ID, Title: c.Title, Type: store.ChatGroup, Members: c.ParticipantsCount})
		case *tg.InputPeerChannel:
			c, ok := e.Entities.Channel(p.ChannelID)
			if !ok || c.Left {
				continue
			}
			joined++
			ch := Chat{ID: c.ID, AccessHash: c.AccessHash, Title: c.Title, Type: store.ChatSupergroup, Username: c.Username}
			if c.Broadcast {
				ch.Type = store.ChatChannel
			}
			ch.Members, _ = c.GetParticipantsCount()
			if ch.Members == 0 && full < maxFullChannel {
				full++
				if f, err := api.ChannelsGetFullChannel(ctx, &tg.InputChannel{ChannelID: c.ID, AccessHash: c.AccessHash}); err == nil {
					if cf, ok := f.FullChat.(*tg.ChannelFull); ok {
						ch.Members, _ = cf.GetParticipantsCount()
					}
				}
			}
			out = append(out, ch)
		}
	}
	if err := iter.Err(); err != nil {
		return nil, accountError("dialogs", err)
	}
	if err := m.updateAccount(ownerID, func(acc *store.Account) {
		acc.ChannelsJoined = joined
	}); err != nil {
		a.log.Error("userbot: save joined channels", "error", err)
	}
	return out, nil
}

// SelectedChats lists the chats the owner monitors.
func (m *Manager) SelectedChats(ownerID int64) ([]Chat, error) {
	chats, err := m.cfg.Store.SelectedChats(ownerID)
	if err != nil {
		return nil, err
	}
	out := make([]Chat, len(chats))
	for i, c := range chats {
		out[i] = Chat{ID: c.ID, AccessHash: c.AccessHash, Title: c.Title, Type: c.Type, Username: c.Username, Members: c.Members}
	}
	return out, nil
}

// SetSelected starts or stops monitoring one of the account's chats.
// Monitoring starts from the chat's newest message: earlier history is not
// collected.
func (m *Manager) SetSelected(ctx context.Context, ownerID int64, c Chat, selected bool) error {
	st := m.cfg.Store
	if !selected {
		return st.UnselectChat(ownerID, c.Type, c.ID)
	}
	rec := store.Chat{ID: c.ID, AccessHash: c.AccessHash, Title: c.Title, Type: c.Type, Username: c.Username, Members: c.Members, LastSeenID: -1}
	if a, api, err := m.running(ownerID); err == nil {
		top, pts, err := topMessage(ctx, api, inputPeer(rec))
		if err != nil {
			return accountError("select chat", err)
		}
		rec.LastSeenID = top
		if c.Type != store.ChatGroup {
			a.trackChannel(c.ID, c.AccessHash, pts)
		}
	}
	// Without a running client LastSeenID stays unknown (-1) and the first
	// reconciliation sets it.
	return st.SelectChat(ownerID, rec)
}

// trackChannel makes the next start of the updates manager follow a channel
// from pts even if no update of it arrived yet, so messages posted while the
// client is down are caught up with getChannelDifference.
func (a *account) trackChannel(channelID, accessHash int64, pts int) {
	st := a.m.cfg.Store
	if _, found, err := st.ChannelPts(a.id, channelID); err != nil || found || pts == 0 {
		return
	}
	if err := errors.Join(
		st.SetChannelAccessHash(a.id, channelID, accessHash),
		st.SetChannelPts(a.id, channelID, pts),
	); err != nil {
		a.log.Error("userbot: track channel", "error", err)
	}
}

// Disconnect logs the owner's account out at Telegram, stops its client at
// once (no message is handed over after Disconnect starts) and deletes the
// sealed session, the updates state, the account record and the selected
// chats. An account whose client is not running is only forgotten.
func (m *Manager) Disconnect(ctx context.Context, ownerID int64) error {
	m.CancelLogin(ownerID)
	m.budgets.forget(ownerID)
	m.mu.Lock()
	a := m.accounts[ownerID]
	delete(m.accounts, ownerID)
	m.mu.Unlock()

	acc, err := m.cfg.Store.Account(ownerID)
	if errors.Is(err, store.ErrNotFound) && a == nil {
		return ErrNotConnected
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("userbot: disconnect: %w", err)
	}
	accountID := acc.ID
	if a != nil {
		accountID = a.id
		a.end()
		a.mu.Lock()
		c := a.client
		a.mu.Unlock()
		if c != nil {
			lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			if _, err := c.API().AuthLogOut(lctx); err != nil {
				a.log.Warn("userbot: log out", "error", err)
			}
			cancel()
		}
		a.cancel()
		select {
		case <-a.done:
		case <-ctx.Done():
		}
	}
	m.forget(ownerID, accountID)
	m.log.Info("userbot: account disconnected", "owner_id", ownerID, "account_id", accountID)
	return nil
}
