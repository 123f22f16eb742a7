package userbot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/updates"
	updhook "github.com/gotd/td/telegram/updates/hook"
	"github.com/gotd/td/tg"
	"golang.org/x/sync/errgroup"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// newClient builds a gotd client for the configured DCs. The flood-wait
// middleware runs innermost, so the others see only its final result.
func (m *Manager) newClient(sess telegram.SessionStorage, h telegram.UpdateHandler, onConn func(telegram.ConnectionState), mw ...telegram.Middleware) *telegram.Client {
	return telegram.NewClient(m.cfg.AppID, m.cfg.AppHash, telegram.Options{
		PublicKeys:        m.cfg.PublicKeys,
		Resolver:          m.cfg.Resolver,
		DCList:            m.cfg.DCList,
		SessionStorage:    sess,
		UpdateHandler:     h,
		Middlewares:       append(mw, floodWait(m.cfg.FloodWaitCap)),
		Logger:            gotdLogger(m.log),
		OnConnectionState: onConn,
		Device: telegram.DeviceConfig{
			DeviceModel:   "LeadGenRunner",
			SystemVersion: runtime.GOOS,
			AppVersion:    "1.0",
		},
	})
}

// account runs the client of one connected account.
type account struct {
	m       *Manager
	ownerID int64
	id      int64 // Telegram user id
	log     *slog.Logger
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}

	// ingest serializes delivery to the Sink between the update handler and
	// reconciliation, so each message is handed over once.
	ingest sync.Mutex

	mu      sync.Mutex
	client  *telegram.Client // set once the client runs
	state   string
	ended   bool // stopped by Telegram or disconnecting: drop messages
	last    time.Time
	lastPut time.Time
}

// startAccount starts the client of an owner's stored account, replacing a
// running one.
func (m *Manager) startAccount(ownerID int64, acc store.Account) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.life.Err() != nil {
		return
	}
	if old := m.accounts[ownerID]; old != nil {
		old.cancel()
	}
	ctx, cancel := context.WithCancel(m.life)
	a := &account{
		m:       m,
		ownerID: ownerID,
		id:      acc.ID,
		log:     m.log.With("owner_id", ownerID, "account_id", acc.ID),
		ctx:     ctx,
		cancel:  cancel,
		done:    make(chan struct{}),
		state:   StateReconnecting,
	}
	m.accounts[ownerID] = a
	m.wg.Add(1)
	go a.run()
}

// run keeps the client running until the account stops.
func (a *account) run() {
	defer a.m.wg.Done()
	defer close(a.done)
	defer func() {
		a.m.mu.Lock()
		if a.m.accounts[a.ownerID] == a {
			delete(a.m.accounts, a.ownerID)
		}
		a.m.mu.Unlock()
	}()
	backoff := time.Second
	for {
		err := a.runOnce()
		if a.ctx.Err() != nil {
			return
		}
		if st := fatalState(err); st != "" {
			a.fatal(st, err)
			return
		}
		a.log.Error("userbot: client stopped, restarting", "error", err, "backoff", backoff)
		a.setState(StateReconnecting)
		select {
		case <-a.ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Minute)
	}
}

// runOnce runs one client until it fails or the account stops.
func (a *account) runOnce() error {
	d := tg.NewUpdateDispatcher()
	d.OnNewMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewMessage) error {
		return a.onMessage(ctx, e.Users, u.Message)
	})
	d.OnNewChannelMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewChannelMessage) error {
		return a.onMessage(ctx, e.Users, u.Message)
	})
	st := stateStorage{a.m.cfg.Store}
	gaps := updates.New(updates.Config{
		Handler:      d,
		Storage:      st,
		AccessHasher: st,
		Logger:       gotdLogger(a.log),
	})
	client := a.m.newClient(sessionStorage{a.m.cfg.Store, a.id}, gaps, a.onConnection,
		updhook.UpdateHook(gaps.Handle), watchAuth(a.fatal))
	a.mu.Lock()
	a.client = client
	a.mu.Unlock()

	return client.Run(a.ctx, func(ctx context.Context) error {
		self, err := client.Self(ctx)
		if err != nil {
			return fmt.Errorf("self: %w", err)
		}
		if self.ID != a.id {
			return fmt.Errorf("session belongs to user %d, not %d", self.ID, a.id)
		}
		a.setState(StateConnected)
		if err := a.m.updateAccount(a.ownerID, func(acc *store.Account) {
			acc.Username, acc.FirstName = self.Username, strings.TrimSpace(self.FirstName+" "+self.LastName)
			acc.State = StateConnected
		}); err != nil {
			a.log.Error("userbot: save account", "error", err)
		}
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			return gaps.Run(gctx, client.API(), self.ID, updates.AuthOptions{})
		})
		g.Go(func() error { return a.reconcileLoop(gctx, client.API()) })
		return g.Wait()
	})
}

func (a *account) onConnection(s telegram.ConnectionState) {
	switch s {
	case telegram.ConnectionStateReady:
		a.setState(StateConnected)
	case telegram.ConnectionStateDisconnected:
		a.setState(StateReconnecting)
	}
}

// setState records a transient state and tells OnAccountState.
func (a *account) setState(st string) {
	a.mu.Lock()
	if a.ended || a.state == st {
		a.mu.Unlock()
		return
	}
	a.state = st
	a.mu.Unlock()
	a.m.cfg.OnAccountState(a.ownerID, st)
}

func (a *account) currentState() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

func (a *account) lastMessage() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

// end makes the account drop every further message; it reports false when
// the account had already ended.
func (a *account) end() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ended {
		return false
	}
	a.ended = true
	return true
}

func (a *account) isEnded() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ended
}

// fatal marks the account stopped by Telegram: it records the state,
// forgets the useless session, tells OnAccountState and stops the client.
// It never blocks: it runs from inside RPC calls.
func (a *account) fatal(state string, err error) {
	if !a.end() {
		return
	}
	a.mu.Lock()
	a.state = state
	a.mu.Unlock()
	a.log.Warn("userbot: account stopped by Telegram", "state", state, "error", err)
	a.m.wg.Add(1)
	go func() {
		defer a.m.wg.Done()
		a.cancel()
		st := a.m.cfg.Store
		if err := a.m.updateAccount(a.ownerID, func(acc *store.Account) {
			acc.State = state
		}); err != nil {
			a.log.Error("userbot: save account state", "error", err)
		}
		if err := st.DeleteSession(a.id); err != nil {
			a.log.Error("userbot: delete session", "error", err)
		}
		if err := st.DeleteUpdatesState(a.id); err != nil {
			a.log.Error("userbot: delete updates state", "error", err)
		}
		a.m.cfg.OnAccountState(a.ownerID, state)
	}()
}

// chatOf returns the selection key of a message's chat: ChatGroup for basic
// groups, ChatSupergroup for supergroups and channels (both share the Bot
// API id, so the store finds either). Private chats give "".
func chatOf(p tg.PeerClass) (typ string, id int64) {
	switch p := p.(type) {
	case *tg.PeerChat:
		return store.ChatGroup, p.ChatID
	case *tg.PeerChannel:
		return store.ChatSupergroup, p.ChannelID
	}
	return "", 0
}

// onMessage handles a new message from the update stream.
func (a *account) onMessage(ctx context.Context, users map[int64]*tg.User, mc tg.MessageClass) error {
	msg, ok := mc.(*tg.Message)
	if !ok || a.isEnded() {
		return nil
	}
	typ, id := chatOf(msg.PeerID)
	if typ == "" {
		return nil
	}
	return a.deliver(ctx, typ, id, msg, users)
}

// deliver hands a message of a selected chat to the Sink, once: messages
// at or below the chat's last seen id are skipped, others are retried until
// the Sink has them or ctx ends, then the last seen id advances.
func (a *account) deliver(ctx context.Context, typ string, chatID int64, msg *tg.Message, users map[int64]*tg.User) error {
	a.ingest.Lock()
	defer a.ingest.Unlock()
	if a.isEnded() {
		return nil // disconnected while this update waited for the lock
	}
	st := a.m.cfg.Store
	sel, err := st.SelectedChat(a.ownerID, typ, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // not monitored: dropped here, written nowhere
	}
	if err != nil {
		return err
	}
	if msg.ID <= sel.LastSeenID {
		return nil
	}
	if msg.Out {
		// The owner's own message is never their lead: not stored, only
		// marked seen so reconciliation does not fetch it again.
		if err := st.SetLastSeen(a.ownerID, sel.Type, sel.ID, msg.ID); err != nil {
			a.log.Error("userbot: set last seen", "error", err)
		}
		return nil
	}
	m := a.toStore(sel, msg, users)
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		err := a.m.cfg.Sink.Ingest(ctx, a.ownerID, m)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("userbot: ingest: %w", ctx.Err())
		}
		a.log.Warn("userbot: ingest failed, retrying", "chat_id", m.ChatID, "msg_id", m.MsgID, "error", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("userbot: ingest: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
	if err := st.SetLastSeen(a.ownerID, sel.Type, sel.ID, msg.ID); err != nil {
		a.log.Error("userbot: set last seen", "error", err)
	}
	a.touch()
	return nil
}

// touch records that a message arrived, persisting it at most once a
// minute.
func (a *account) touch() {
	now := a.m.cfg.Now()
	a.mu.Lock()
	a.last = now
	persist := now.Sub(a.lastPut) >= time.Minute
	if persist {
		a.lastPut = now
	}
	a.mu.Unlock()
	if !persist {
		return
	}
	if err := a.m.updateAccount(a.ownerID, func(acc *store.Account) {
		acc.LastMessageAt = now
	}); err != nil {
		a.log.Error("userbot: save last message time", "error", err)
	}
}

// toStore converts a Telegram message of a selected chat.
func (a *account) toStore(sel store.Chat, msg *tg.Message, users map[int64]*tg.User) store.Message {
	m := store.Message{
		AccountID:    a.id,
		ChatID:       store.BotAPIChatID(sel.Type, sel.ID),
		MsgID:        int64(msg.ID),
		ChatTitle:    sel.Title,
		ChatUsername: sel.Username,
		Date:         time.Unix(int64(msg.Date), 0).UTC(),
		Text:         msg.Message,
	}
	if from, ok := msg.FromID.(*tg.PeerUser); ok {
		m.SenderID = from.UserID
		if u := users[from.UserID]; u != nil {
			m.SenderUsername = u.Username
			m.SenderName = strings.TrimSpace(u.FirstName + " " + u.LastName)
		}
	}
	return m
}

// reconcileLoop reconciles at once and then every ReconcileInterval.
func (a *account) reconcileLoop(ctx context.Context, api *tg.Client) error {
	t := time.NewTicker(a.m.cfg.ReconcileInterval)
	defer t.Stop()
	for {
		a.reconcile(ctx, api)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// reconcile fetches, for every selected chat, the messages above its last
// seen id and delivers them in order.
func (a *account) reconcile(ctx context.Context, api *tg.Client) {
	chats, err := a.m.cfg.Store.SelectedChats(a.ownerID)
	if err != nil {
		a.log.Error("userbot: reconcile: selected chats", "error", err)
		return
	}
	for _, c := range chats {
		if ctx.Err() != nil || a.isEnded() {
			return
		}
		if err := a.reconcileChat(ctx, api, c); err != nil && ctx.Err() == nil {
			a.log.Warn("userbot: reconcile chat", "chat_id", store.BotAPIChatID(c.Type, c.ID), "error", err)
		}
	}
}

// maxReconcile bounds how many messages one reconciliation of a chat
// fetches; older ones beyond it are skipped.
const maxReconcile = 1000

func (a *account) reconcileChat(ctx context.Context, api *tg.Client, c store.Chat) error {
	peer := inputPeer(c)
	if c.LastSeenID < 0 {
		// Selected while the client was away: start from now rather than
		// hand years of history to the pipeline.
		top, _, err := topMessage(ctx, api, peer)
		if err != nil {
			return err
		}
		return a.m.cfg.Store.SetLastSeen(a.ownerID, c.Type, c.ID, top)
	}
	var (
		fetched []*tg.Message
		users   = map[int64]*tg.User{}
		offset  = 0
	)
	for len(fetched) < maxReconcile {
		res, err := api.MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{
			Peer: peer, OffsetID: offset, MinID: c.LastSeenID, Limit: 100,
		})
		if err != nil {
			return fmt.Errorf("get history: %w", err)
		}
		mod, ok := res.AsModified()
		if !ok {
			break
		}
		for _, u := range mod.GetUsers() {
			if u, ok := u.(*tg.User); ok {
				users[u.ID] = u
			}
		}
		msgs := mod.GetMessages()
		for _, mc := range msgs {
			if m, ok := mc.(*tg.Message); ok && m.ID > c.LastSeenID {
				fetched = append(fetched, m)
			}
			offset = mc.GetID()
		}
		if len(msgs) < 100 || offset <= c.LastSeenID+1 {
			break
		}
	}
	sort.Slice(fetched, func(i, j int) bool { return fetched[i].ID < fetched[j].ID })
	typ, id := chatOf(inputPeerToPeer(peer))
	for _, m := range fetched {
		if a.isEnded() {
			return nil
		}
		if err := a.deliver(ctx, typ, id, m, users); err != nil {
			return err
		}
	}
	return nil
}

// inputPeer addresses a selected chat.
func inputPeer(c store.Chat) tg.InputPeerClass {
	if c.Type == store.ChatGroup {
		return &tg.InputPeerChat{ChatID: c.ID}
	}
	return &tg.InputPeerChannel{ChannelID: c.ID, AccessHash: c.AccessHash}
}

func inputPeerToPeer(p tg.InputPeerClass) tg.PeerClass {
	switch p := p.(type) {
	case *tg.InputPeerChat:
		return &tg.PeerChat{ChatID: p.ChatID}
	case *tg.InputPeerChannel:
		return &tg.PeerChannel{ChannelID: p.ChannelID}
	}
	return nil
}

// topMessage returns the id of the newest message of a chat (0 when empty)
// and, for channels, the channel's pts.
func topMessage(ctx context.Context, api *tg.Client, peer tg.InputPeerClass) (id, pts int, err error) {
	res, err := api.MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: peer, Limit: 1})
	if err != nil {
		return 0, 0, fmt.Errorf("get history: %w", err)
	}
	if cm, ok := res.(*tg.MessagesChannelMessages); ok {
		pts = cm.Pts
	}
	if mod, ok := res.AsModified(); ok {
		for _, m := range mod.GetMessages() {
			id = max(id, m.GetID())
		}
	}
	return id, pts, nil
}
