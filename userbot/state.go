package userbot

import (
	"context"
	"errors"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/updates"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// sessionStorage keeps an account's MTProto session sealed in the store.
type sessionStorage struct {
	st        *store.Store
	accountID int64
}

var _ telegram.SessionStorage = sessionStorage{}

// LoadSession implements session.Storage.
func (s sessionStorage) LoadSession(context.Context) ([]byte, error) {
	data, err := s.st.Session(s.accountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, session.ErrNotFound
	}
	return data, err
}

// StoreSession implements session.Storage.
func (s sessionStorage) StoreSession(_ context.Context, data []byte) error {
	return s.st.PutSession(s.accountID, data)
}

// stateStorage is gotd's updates state kept in the store's updates_state
// bucket. gotd passes the account's user id as userID. SetState keeps
// channel pts, unlike gotd's in-memory storage.
type stateStorage struct{ st *store.Store }

var (
	_ updates.StateStorage        = stateStorage{}
	_ updates.ChannelAccessHasher = stateStorage{}
)

// GetState implements updates.StateStorage.
func (s stateStorage) GetState(_ context.Context, userID int64) (updates.State, bool, error) {
	st, ok, err := s.st.UpdatesState(userID)
	return updates.State(st), ok, err
}

// SetState implements updates.StateStorage.
func (s stateStorage) SetState(_ context.Context, userID int64, st updates.State) error {
	return s.st.SetUpdatesState(userID, store.UpdatesState(st))
}

// SetPts implements updates.StateStorage.
func (s stateStorage) SetPts(_ context.Context, userID int64, pts int) error {
	return s.st.UpdateUpdatesState(userID, func(st *store.UpdatesState) { st.Pts = pts })
}

// SetQts implements updates.StateStorage.
func (s stateStorage) SetQts(_ context.Context, userID int64, qts int) error {
	return s.st.UpdateUpdatesState(userID, func(st *store.UpdatesState) { st.Qts = qts })
}

// SetDate implements updates.StateStorage.
func (s stateStorage) SetDate(_ context.Context, userID int64, date int) error {
	return s.st.UpdateUpdatesState(userID, func(st *store.UpdatesState) { st.Date = date })
}

// SetSeq implements updates.StateStorage.
func (s stateStorage) SetSeq(_ context.Context, userID int64, seq int) error {
	return s.st.UpdateUpdatesState(userID, func(st *store.UpdatesState) { st.Seq = seq })
}

// SetDateSeq implements updates.StateStorage.
func (s stateStorage) SetDateSeq(_ context.Context, userID int64, date, seq int) error {
	return s.st.UpdateUpdatesState(userID, func(st *store.UpdatesState) { st.Date, st.Seq = date, seq })
}

// GetChannelPts implements updates.StateStorage.
func (s stateStorage) GetChannelPts(_ context.Context, userID, channelID int64) (int, bool, error) {
	return s.st.ChannelPts(userID, channelID)
}

// SetChannelPts implements updates.StateStorage.
func (s stateStorage) SetChannelPts(_ context.Context, userID, channelID int64, pts int) error {
	return s.st.SetChannelPts(userID, channelID, pts)
}

// ForEachChannels implements updates.StateStorage.
func (s stateStorage) ForEachChannels(ctx context.Context, userID int64, f func(ctx context.Context, channelID int64, pts int) error) error {
	all, err := s.st.ChannelsPts(userID)
	if err != nil {
		return err
	}
	for id, pts := range all {
		if err := f(ctx, id, pts); err != nil {
			return err
		}
	}
	return nil
}

// SetChannelAccessHash implements updates.ChannelAccessHasher.
func (s stateStorage) SetChannelAccessHash(_ context.Context, userID, channelID, hash int64) error {
	return s.st.SetChannelAccessHash(userID, channelID, hash)
}

// GetChannelAccessHash implements updates.ChannelAccessHasher.
func (s stateStorage) GetChannelAccessHash(_ context.Context, userID, channelID int64) (int64, bool, error) {
	return s.st.ChannelAccessHash(userID, channelID)
}
