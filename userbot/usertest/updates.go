package usertest

import (
	"context"
	"sort"

	"github.com/gotd/td/tg"
)

// diffLimit is how many events one getDifference answer carries at most
// before it becomes a slice.
const diffLimit = 100

func (c *Cluster) updatesGetState(ctx context.Context) (*tg.UpdatesState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	return &tg.UpdatesState{Pts: a.pts, Date: now()}, nil
}

// Pts returns the account's common pts (basic groups and private chats).
func (a *Account) Pts() int {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	return a.pts
}

func (c *Cluster) updatesGetDifference(ctx context.Context, req *tg.UpdatesGetDifferenceRequest) (tg.UpdatesDifferenceClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	if req.Pts >= a.pts {
		return &tg.UpdatesDifferenceEmpty{Date: now()}, nil
	}
	i := sort.Search(len(a.events), func(i int) bool { return a.events[i].pts > req.Pts })
	evs := a.events[i:]
	slice := len(evs) > diffLimit
	if slice {
		evs = evs[:diffLimit]
	}

	var (
		msgs    []tg.MessageClass
		others  []tg.UpdateClass
		userIDs = []int64{a.id}
		chatIDs = map[int64]bool{}
		chats   []tg.ChatClass
	)
	for _, ev := range evs {
		m := cloneMessage(ev.msg, a.id)
		if ev.edit {
			others = append(others, &tg.UpdateEditMessage{Message: m, Pts: ev.pts, PtsCount: 1})
		} else {
			msgs = append(msgs, m)
		}
		userIDs = append(userIDs, senderID(ev.msg), peerUserID(ev.msg.PeerID))
		if p, ok := ev.msg.PeerID.(*tg.PeerChat); ok && !chatIDs[p.ChatID] {
			chatIDs[p.ChatID] = true
			if ch := c.chats[p.ChatID]; ch != nil {
				chats = append(chats, ch.tgChat(a.id))
			}
		}
	}
	state := tg.UpdatesState{Pts: evs[len(evs)-1].pts, Date: now()}
	users := c.users(a.id, userIDs...)
	if slice {
		return &tg.UpdatesDifferenceSlice{
			NewMessages: msgs, OtherUpdates: others, Chats: chats, Users: users, IntermediateState: state,
		}, nil
	}
	return &tg.UpdatesDifference{
		NewMessages: msgs, OtherUpdates: others, Chats: chats, Users: users, State: state,
	}, nil
}

func (c *Cluster) updatesGetChannelDifference(ctx context.Context, req *tg.UpdatesGetChannelDifferenceRequest) (tg.UpdatesChannelDifferenceClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := c.channel(a, req.Channel)
	if err != nil {
		return nil, err
	}
	if req.Pts >= ch.pts {
		return &tg.UpdatesChannelDifferenceEmpty{Final: true, Pts: ch.pts}, nil
	}
	limit := req.Limit
	if limit <= 0 || limit > diffLimit {
		limit = diffLimit
	}
	i := sort.Search(len(ch.events), func(i int) bool { return ch.events[i].pts > req.Pts })
	evs := ch.events[i:]
	final := len(evs) <= limit
	if !final {
		evs = evs[:limit]
	}
	var (
		msgs    []tg.MessageClass
		others  []tg.UpdateClass
		userIDs []int64
	)
	for _, ev := range evs {
		m := cloneMessage(ev.msg, a.id)
		if ev.edit {
			others = append(others, &tg.UpdateEditChannelMessage{Message: m, Pts: ev.pts, PtsCount: 1})
		} else {
			msgs = append(msgs, m)
		}
		userIDs = append(userIDs, senderID(ev.msg))
	}
	return &tg.UpdatesChannelDifference{
		Final:        final,
		Pts:          evs[len(evs)-1].pts,
		NewMessages:  msgs,
		OtherUpdates: others,
		Chats:        []tg.ChatClass{ch.tgChat(a.id)},
		Users:        c.users(a.id, userIDs...),
	}, nil
}
