package usertest

import (
	"context"
	"errors"
	"sync"

	"github.com/gotd/td/telegram/updates"
)

// MemoryState is an in-memory updates.StateStorage and
// updates.ChannelAccessHasher for test clients that restart. Unlike gotd's
// own in-memory storage, SetState keeps the channels' pts, so a restarted
// client resumes its channels with getChannelDifference.
type MemoryState struct {
	mu       sync.Mutex
	states   map[int64]updates.State
	channels map[int64]map[int64]int   // user -> channel -> pts
	hashes   map[int64]map[int64]int64 // user -> channel -> access hash
}

var (
	_ updates.StateStorage        = (*MemoryState)(nil)
	_ updates.ChannelAccessHasher = (*MemoryState)(nil)
)

// errNoState is what the Set* methods return before SetState, as
// updates.StateStorage requires.
var errNoState = errors.New("usertest: no state for user")

// NewMemoryState returns an empty MemoryState.
func NewMemoryState() *MemoryState {
	return &MemoryState{
		states:   map[int64]updates.State{},
		channels: map[int64]map[int64]int{},
		hashes:   map[int64]map[int64]int64{},
	}
}

// GetState implements updates.StateStorage.
func (m *MemoryState) GetState(_ context.Context, userID int64) (updates.State, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.states[userID]
	return s, ok, nil
}

// SetState implements updates.StateStorage. It keeps channel pts.
func (m *MemoryState) SetState(_ context.Context, userID int64, s updates.State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[userID] = s
	return nil
}

func (m *MemoryState) update(userID int64, f func(*updates.State)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.states[userID]
	if !ok {
		return errNoState
	}
	f(&s)
	m.states[userID] = s
	return nil
}

// SetPts implements updates.StateStorage.
func (m *MemoryState) SetPts(_ context.Context, userID int64, pts int) error {
	return m.update(userID, func(s *updates.State) { s.Pts = pts })
}

// SetQts implements updates.StateStorage.
func (m *MemoryState) SetQts(_ context.Context, userID int64, qts int) error {
	return m.update(userID, func(s *updates.State) { s.Qts = qts })
}

// SetDate implements updates.StateStorage.
func (m *MemoryState) SetDate(_ context.Context, userID int64, date int) error {
	return m.update(userID, func(s *updates.State) { s.Date = date })
}

// SetSeq implements updates.StateStorage.
func (m *MemoryState) SetSeq(_ context.Context, userID int64, seq int) error {
	return m.update(userID, func(s *updates.State) { s.Seq = seq })
}

// SetDateSeq implements updates.StateStorage.
func (m *MemoryState) SetDateSeq(_ context.Context, userID int64, date, seq int) error {
	return m.update(userID, func(s *updates.State) { s.Date, s.Seq = date, seq })
}

// GetChannelPts implements updates.StateStorage.
func (m *MemoryState) GetChannelPts(_ context.Context, userID, channelID int64) (int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	pts, ok := m.channels[userID][channelID]
	return pts, ok, nil
}

// SetChannelPts implements updates.StateStorage.
func (m *MemoryState) SetChannelPts(_ context.Context, userID, channelID int64, pts int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.channels[userID] == nil {
		m.channels[userID] = map[int64]int{}
	}
	m.channels[userID][channelID] = pts
	return nil
}

// ForEachChannels implements updates.StateStorage.
func (m *MemoryState) ForEachChannels(ctx context.Context, userID int64, f func(ctx context.Context, channelID int64, pts int) error) error {
	m.mu.Lock()
	chans := make(map[int64]int, len(m.channels[userID]))
	for id, pts := range m.channels[userID] {
		chans[id] = pts
	}
	m.mu.Unlock()
	for id, pts := range chans {
		if err := f(ctx, id, pts); err != nil {
			return err
		}
	}
	return nil
}

// SetChannelAccessHash implements updates.ChannelAccessHasher.
func (m *MemoryState) SetChannelAccessHash(_ context.Context, userID, channelID, hash int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.hashes[userID] == nil {
		m.hashes[userID] = map[int64]int64{}
	}
	m.hashes[userID][channelID] = hash
	return nil
}

// GetChannelAccessHash implements updates.ChannelAccessHasher.
func (m *MemoryState) GetChannelAccessHash(_ context.Context, userID, channelID int64) (int64, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hashes[userID][channelID]
	return h, ok, nil
}
