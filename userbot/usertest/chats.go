package usertest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// Kind is the kind of a chat.
type Kind int

// Chat kinds.
const (
	KindGroup      Kind = iota + 1 // basic group: tg.Chat, messages on each member's pts
	KindSupergroup                 // megagroup: tg.Channel with its own pts
	KindChannel                    // broadcast channel: tg.Channel with its own pts
)

// String returns "group", "supergroup" or "channel".
func (k Kind) String() string {
	switch k {
	case KindGroup:
		return "group"
	case KindSupergroup:
		return "supergroup"
	case KindChannel:
		return "channel"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Chat is a basic group, supergroup or channel.
type Chat struct {
	c          *Cluster
	id         int64
	accessHash int64 // 0 for basic groups
	kind       Kind
	title      string
	username   string
	date       int

	// Guarded by c.mu.
	members   map[int64]bool
	extra     int           // participants beyond members, see SetParticipantsCount
	msgs      []*tg.Message // id ascending; never mutated, edits replace them
	nextID    int           // channels: last message id
	pts       int           // channels: channel pts, 1 at creation
	events    []chanEvent   // channels: pts ascending
	creatorID int64
}

// chanEvent is one step of a channel's pts sequence.
type chanEvent struct {
	pts  int
	msg  *tg.Message
	edit bool
}

// ptsEvent is one step of an account's common pts sequence.
type ptsEvent struct {
	pts  int
	msg  *tg.Message // as the account sees it (peer, out)
	edit bool
}

// AddGroup creates a basic group with the given members.
func (c *Cluster) AddGroup(title string, members ...*Account) *Chat {
	return c.addChat(KindGroup, title, "", members)
}

// AddSupergroup creates a supergroup; a non-empty username makes it public.
func (c *Cluster) AddSupergroup(title, username string, members ...*Account) *Chat {
	return c.addChat(KindSupergroup, title, username, members)
}

// AddChannel creates a broadcast channel; a non-empty username makes it
// public.
func (c *Cluster) AddChannel(title, username string, members ...*Account) *Chat {
	return c.addChat(KindChannel, title, username, members)
}

func (c *Cluster) addChat(kind Kind, title, username string, members []*Account) *Chat {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextChat++
	ch := &Chat{
		c:        c,
		id:       c.nextChat,
		kind:     kind,
		title:    title,
		username: username,
		date:     now(),
		members:  map[int64]bool{},
	}
	if kind != KindGroup {
		ch.accessHash = accessHash(ch.id)
		ch.pts = 1 // creation, as in Telegram: a channel's pts is never 0
	}
	for _, m := range members {
		ch.members[m.id] = true
	}
	if len(members) > 0 {
		ch.creatorID = members[0].id
	}
	c.chats[ch.id] = ch
	return ch
}

// ID returns the chat id (chat_id of a basic group, channel_id otherwise).
func (ch *Chat) ID() int64 { return ch.id }

// AccessHash returns the channel access hash, 0 for a basic group.
func (ch *Chat) AccessHash() int64 { return ch.accessHash }

// Kind returns the kind of chat.
func (ch *Chat) Kind() Kind { return ch.kind }

// Title returns the chat title.
func (ch *Chat) Title() string { return ch.title }

// Username returns the public username, empty if the chat is private.
func (ch *Chat) Username() string { return ch.username }

// Members returns the participants count Telegram reports for the chat.
func (ch *Chat) Members() int {
	ch.c.mu.Lock()
	defer ch.c.mu.Unlock()
	return ch.participants()
}

// SetParticipantsCount makes the chat report n participants, as if members
// that are not accounts of this cluster had joined.
func (ch *Chat) SetParticipantsCount(n int) {
	ch.c.mu.Lock()
	defer ch.c.mu.Unlock()
	ch.extra = max(0, n-len(ch.members))
}

// AddMember adds a to the chat without any update, as an invite by an admin
// that the client has not heard of yet.
func (ch *Chat) AddMember(a *Account) {
	ch.c.mu.Lock()
	defer ch.c.mu.Unlock()
	ch.members[a.id] = true
}

// IsMember reports whether a is a participant.
func (ch *Chat) IsMember(a *Account) bool {
	ch.c.mu.Lock()
	defer ch.c.mu.Unlock()
	return ch.members[a.id]
}

// Pts returns the channel's pts, 0 for a basic group.
func (ch *Chat) Pts() int {
	ch.c.mu.Lock()
	defer ch.c.mu.Unlock()
	return ch.pts
}

func (ch *Chat) participants() int { return len(ch.members) + ch.extra }

func (ch *Chat) isChannel() bool { return ch.kind != KindGroup }

func (ch *Chat) peer() tg.PeerClass {
	if ch.isChannel() {
		return &tg.PeerChannel{ChannelID: ch.id}
	}
	return &tg.PeerChat{ChatID: ch.id}
}

// visibleTo reports whether a may read the chat: members always, everyone
// for public supergroups and channels.
func (ch *Chat) visibleTo(a *Account) bool {
	return ch.members[a.id] || (ch.isChannel() && ch.username != "")
}

// tgChat returns the chat as seen by viewer. c.mu must be held.
func (ch *Chat) tgChat(viewer int64) tg.ChatClass {
	left := !ch.members[viewer]
	if !ch.isChannel() {
		return &tg.Chat{
			ID:                ch.id,
			Title:             ch.title,
			Photo:             &tg.ChatPhotoEmpty{},
			ParticipantsCount: ch.participants(),
			Date:              ch.date,
			Version:           1,
			Left:              left,
			Creator:           ch.creatorID == viewer,
		}
	}
	c := &tg.Channel{
		ID:         ch.id,
		AccessHash: ch.accessHash,
		Title:      ch.title,
		Username:   ch.username,
		Photo:      &tg.ChatPhotoEmpty{},
		Date:       ch.date,
		Broadcast:  ch.kind == KindChannel,
		Megagroup:  ch.kind == KindSupergroup,
		Left:       left,
		Creator:    ch.creatorID == viewer,
	}
	c.SetParticipantsCount(ch.participants())
	return c
}

// message returns the stored message id, nil if none.
func (ch *Chat) message(id int) (int, *tg.Message) {
	i := sort.Search(len(ch.msgs), func(i int) bool { return ch.msgs[i].ID >= id })
	if i < len(ch.msgs) && ch.msgs[i].ID == id {
		return i, ch.msgs[i]
	}
	return -1, nil
}

// cloneMessage copies m for one encoder, setting Out for viewer. gotd's
// Encode writes Flags fields, so encoders must never share a message.
func cloneMessage(m *tg.Message, viewer int64) *tg.Message {
	cp := *m
	cp.Flags, cp.Flags2 = 0, 0
	if from, ok := m.FromID.(*tg.PeerUser); ok {
		cp.Out = from.UserID == viewer
	}
	if r, ok := m.ReplyTo.(*tg.MessageReplyHeader); ok {
		rc := *r
		rc.Flags = 0
		cp.ReplyTo = &rc
	}
	return &cp
}

func senderID(m *tg.Message) int64 {
	if from, ok := m.FromID.(*tg.PeerUser); ok {
		return from.UserID
	}
	return 0
}

// Post injects a message from account from (nil for a channel post or an
// anonymous admin) into ch and returns its id. It is stored in the history
// and pushed to every signed-in session of every member. In a broadcast
// channel from is ignored: posts have no sender.
func (c *Cluster) Post(ch *Chat, from *Account, text string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var fromID int64
	if from != nil {
		fromID = from.id
	}
	return c.post(ch, fromID, text, 0, nil).ID
}

// post stores a new message and delivers it. skip is the auth key that sent
// it (it learns from the RPC result). c.mu must be held.
func (c *Cluster) post(ch *Chat, from int64, text string, replyTo int, skip *authKey) *tg.Message {
	m := &tg.Message{PeerID: ch.peer(), Date: now(), Message: text}
	if ch.kind == KindChannel {
		m.Post = true
	} else if from != 0 {
		m.FromID = &tg.PeerUser{UserID: from}
	}
	if replyTo != 0 {
		m.ReplyTo = &tg.MessageReplyHeader{ReplyToMsgID: replyTo}
	}
	if ch.isChannel() {
		ch.nextID++
		m.ID = ch.nextID
	} else {
		c.nextMsgID++
		m.ID = c.nextMsgID
	}
	ch.msgs = append(ch.msgs, m)
	c.deliver(ch, m, false, skip)
	return m
}

// Edit replaces the text of message id in ch and pushes the edit.
func (c *Cluster) Edit(ch *Chat, id int, text string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, old := ch.message(id)
	if old == nil {
		return fmt.Errorf("usertest: edit: no message %d in chat %d", id, ch.id)
	}
	m := cloneMessage(old, 0)
	m.Out = false
	m.Message = text
	m.EditDate = now()
	ch.msgs[i] = m
	c.deliver(ch, m, true, nil)
	return nil
}

// deliver advances the pts sequences touched by m and pushes it to every
// member's sessions except skip. c.mu must be held.
func (c *Cluster) deliver(ch *Chat, m *tg.Message, edit bool, skip *authKey) {
	if ch.isChannel() {
		ch.pts++
		ch.events = append(ch.events, chanEvent{pts: ch.pts, msg: m, edit: edit})
	}
	for id := range ch.members {
		a := c.accounts[id]
		if a == nil {
			continue
		}
		pts := ch.pts
		if !ch.isChannel() {
			a.pts++
			pts = a.pts
			a.events = append(a.events, ptsEvent{pts: pts, msg: m, edit: edit})
		}
		c.pushAccount(a, skip, func() tg.UpdatesClass {
			return &tg.Updates{
				Updates: []tg.UpdateClass{messageUpdate(ch.isChannel(), edit, cloneMessage(m, a.id), pts)},
				Users:   c.users(a.id, senderID(m)),
				Chats:   []tg.ChatClass{ch.tgChat(a.id)},
				Date:    now(),
			}
		})
	}
}

// messageUpdate wraps m in the update Telegram would send for it.
func messageUpdate(channel, edit bool, m *tg.Message, pts int) tg.UpdateClass {
	switch {
	case channel && edit:
		return &tg.UpdateEditChannelMessage{Message: m, Pts: pts, PtsCount: 1}
	case channel:
		return &tg.UpdateNewChannelMessage{Message: m, Pts: pts, PtsCount: 1}
	case edit:
		return &tg.UpdateEditMessage{Message: m, Pts: pts, PtsCount: 1}
	default:
		return &tg.UpdateNewMessage{Message: m, Pts: pts, PtsCount: 1}
	}
}

// History returns the chat's messages, oldest first, as stored (edits
// applied).
func (ch *Chat) History() []*tg.Message {
	ch.c.mu.Lock()
	defer ch.c.mu.Unlock()
	out := make([]*tg.Message, len(ch.msgs))
	for i, m := range ch.msgs {
		out[i] = cloneMessage(m, 0)
	}
	return out
}

// resolve finds the chat or user an input peer names for account a,
// checking access hashes. c.mu must be held.
func (c *Cluster) resolve(a *Account, p tg.InputPeerClass) (*Chat, *Account, error) {
	switch p := p.(type) {
	case *tg.InputPeerChat:
		ch := c.chats[p.ChatID]
		if ch == nil || ch.isChannel() || !ch.members[a.id] {
			return nil, nil, tgerr.New(400, "PEER_ID_INVALID")
		}
		return ch, nil, nil
	case *tg.InputPeerChannel:
		ch, err := c.channel(a, &tg.InputChannel{ChannelID: p.ChannelID, AccessHash: p.AccessHash})
		return ch, nil, err
	case *tg.InputPeerUser:
		u := c.accounts[p.UserID]
		if u == nil || u.accessHash != p.AccessHash {
			return nil, nil, tgerr.New(400, "PEER_ID_INVALID")
		}
		return nil, u, nil
	case *tg.InputPeerSelf:
		return nil, a, nil
	}
	return nil, nil, tgerr.New(400, "PEER_ID_INVALID")
}

// channel resolves an input channel for a. c.mu must be held.
func (c *Cluster) channel(a *Account, in tg.InputChannelClass) (*Chat, error) {
	ic, ok := in.(*tg.InputChannel)
	if !ok {
		return nil, tgerr.New(400, "CHANNEL_INVALID")
	}
	ch := c.chats[ic.ChannelID]
	if ch == nil || !ch.isChannel() || ch.accessHash != ic.AccessHash {
		return nil, tgerr.New(400, "CHANNEL_INVALID")
	}
	if !ch.visibleTo(a) {
		return nil, tgerr.New(400, "CHANNEL_PRIVATE")
	}
	return ch, nil
}

// dialog is one entry of an account's chat list.
type dialog struct {
	chat *Chat
	user *Account // private chat
	top  *tg.Message
	date int
}

func (d dialog) peerKey() (kind byte, id int64) {
	if d.chat != nil {
		if d.chat.isChannel() {
			return 'c', d.chat.id
		}
		return 'g', d.chat.id
	}
	return 'u', d.user.id
}

// dialogs returns a's chat list, newest top message first. c.mu must be held.
func (c *Cluster) dialogs(a *Account) []dialog {
	var out []dialog
	for _, ch := range c.chats {
		if !ch.members[a.id] {
			continue
		}
		d := dialog{chat: ch, date: ch.date}
		if n := len(ch.msgs); n > 0 {
			d.top = ch.msgs[n-1]
			d.date = d.top.Date
		}
		out = append(out, d)
	}
	for uid, msgs := range a.dms {
		if len(msgs) == 0 {
			continue
		}
		top := msgs[len(msgs)-1]
		out = append(out, dialog{user: c.accounts[uid], top: top, date: top.Date})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].date != out[j].date {
			return out[i].date > out[j].date
		}
		ti, tj := topID(out[i]), topID(out[j])
		if ti != tj {
			return ti > tj
		}
		ki, ii := out[i].peerKey()
		kj, ij := out[j].peerKey()
		if ki != kj {
			return ki < kj
		}
		return ii > ij
	})
	return out
}

func topID(d dialog) int {
	if d.top == nil {
		return 0
	}
	return d.top.ID
}

// matches reports whether input peer p names dialog d.
func (d dialog) matches(p tg.InputPeerClass) bool {
	kind, id := d.peerKey()
	switch p := p.(type) {
	case *tg.InputPeerChat:
		return kind == 'g' && id == p.ChatID
	case *tg.InputPeerChannel:
		return kind == 'c' && id == p.ChannelID
	case *tg.InputPeerUser:
		return kind == 'u' && id == p.UserID
	}
	return false
}

func (c *Cluster) messagesGetDialogs(ctx context.Context, req *tg.MessagesGetDialogsRequest) (tg.MessagesDialogsClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	all := c.dialogs(a)
	if req.FolderID != 0 {
		all = nil
	}
	start := 0
	switch p := req.OffsetPeer.(type) {
	case nil, *tg.InputPeerEmpty:
		if req.OffsetDate != 0 || req.OffsetID != 0 {
			for start < len(all) {
				d := all[start]
				if d.date < req.OffsetDate || (d.date == req.OffsetDate && topID(d) < req.OffsetID) {
					break
				}
				start++
			}
		}
	default:
		for i, d := range all {
			if d.matches(p) {
				start = i + 1
				break
			}
		}
	}
	limit := req.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	end := min(start+limit, len(all))
	page := all[start:end]

	var (
		dialogs  []tg.DialogClass
		messages []tg.MessageClass
		chats    []tg.ChatClass
		userIDs  []int64
	)
	for _, d := range page {
		dl := &tg.Dialog{NotifySettings: tg.PeerNotifySettings{}, TopMessage: topID(d)}
		if d.chat != nil {
			dl.Peer = d.chat.peer()
			chats = append(chats, d.chat.tgChat(a.id))
			if d.chat.isChannel() {
				dl.SetPts(d.chat.pts)
			}
		} else {
			dl.Peer = &tg.PeerUser{UserID: d.user.id}
			userIDs = append(userIDs, d.user.id)
		}
		if d.top != nil {
			messages = append(messages, cloneMessage(d.top, a.id))
			userIDs = append(userIDs, senderID(d.top))
		}
		dialogs = append(dialogs, dl)
	}
	users := c.users(a.id, userIDs...)
	if start == 0 && end == len(all) {
		return &tg.MessagesDialogs{Dialogs: dialogs, Messages: messages, Chats: chats, Users: users}, nil
	}
	return &tg.MessagesDialogsSlice{Count: len(all), Dialogs: dialogs, Messages: messages, Chats: chats, Users: users}, nil
}

func (c *Cluster) messagesGetHistory(ctx context.Context, req *tg.MessagesGetHistoryRequest) (tg.MessagesMessagesClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	ch, u, err := c.resolve(a, req.Peer)
	if err != nil {
		return nil, err
	}
	var stored []*tg.Message
	if ch != nil {
		stored = ch.msgs
	} else {
		stored = a.dms[u.id]
	}

	// Newest first, starting below offset_id (or offset_date), shifted by
	// add_offset, limit long, then filtered by min_id and max_id.
	n := len(stored)
	start := 0
	switch {
	case req.OffsetID > 0:
		for start < n && stored[n-1-start].ID >= req.OffsetID {
			start++
		}
	case req.OffsetDate > 0:
		for start < n && stored[n-1-start].Date >= req.OffsetDate {
			start++
		}
	}
	start = min(max(start+req.AddOffset, 0), n)
	limit := req.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	end := min(start+limit, n)

	var (
		msgs    []tg.MessageClass
		userIDs []int64
	)
	for i := start; i < end; i++ {
		m := stored[n-1-i]
		if (req.MaxID != 0 && m.ID >= req.MaxID) || (req.MinID != 0 && m.ID <= req.MinID) {
			continue
		}
		msgs = append(msgs, cloneMessage(m, a.id))
		userIDs = append(userIDs, senderID(m))
	}
	var chats []tg.ChatClass
	if ch != nil {
		chats = []tg.ChatClass{ch.tgChat(a.id)}
	} else {
		userIDs = append(userIDs, u.id)
	}
	users := c.users(a.id, userIDs...)
	switch {
	case ch != nil && ch.isChannel():
		return &tg.MessagesChannelMessages{Pts: ch.pts, Count: n, Messages: msgs, Chats: chats, Users: users}, nil
	case start == 0 && end == n:
		return &tg.MessagesMessages{Messages: msgs, Chats: chats, Users: users}, nil
	default:
		return &tg.MessagesMessagesSlice{Count: n, Messages: msgs, Chats: chats, Users: users}, nil
	}
}

func (c *Cluster) messagesSendMessage(ctx context.Context, req *tg.MessagesSendMessageRequest) (tg.UpdatesClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Message) == "" {
		return nil, tgerr.New(400, "MESSAGE_EMPTY")
	}
	if len([]rune(req.Message)) > 4096 {
		return nil, tgerr.New(400, "MESSAGE_TOO_LONG")
	}
	if a.randomIDs[req.RandomID] {
		return nil, tgerr.New(400, "RANDOM_ID_DUPLICATE")
	}
	ch, u, err := c.resolve(a, req.Peer)
	if err != nil {
		return nil, err
	}
	replyTo := 0
	if r, ok := req.ReplyTo.(*tg.InputReplyToMessage); ok {
		replyTo = r.ReplyToMsgID
	}
	a.randomIDs[req.RandomID] = true
	c.expireCodesIn(req.Message)

	var (
		m      *tg.Message
		update tg.UpdateClass
		chats  []tg.ChatClass
	)
	if ch != nil {
		if !ch.members[a.id] {
			return nil, tgerr.New(403, "CHAT_WRITE_FORBIDDEN")
		}
		if ch.kind == KindChannel && ch.creatorID != a.id {
			return nil, tgerr.New(403, "CHAT_ADMIN_REQUIRED")
		}
		m = c.post(ch, a.id, req.Message, replyTo, k)
		pts := ch.pts
		if !ch.isChannel() {
			pts = a.pts
		}
		update = messageUpdate(ch.isChannel(), false, cloneMessage(m, a.id), pts)
		chats = []tg.ChatClass{ch.tgChat(a.id)}
	} else {
		m = c.sendDM(a, u, req.Message, replyTo, k)
		update = &tg.UpdateNewMessage{Message: cloneMessage(m, a.id), Pts: a.pts, PtsCount: 1}
	}
	a.sent = append(a.sent, SentMessage{
		Peer:    clonePeer(m.PeerID),
		ID:      m.ID,
		ReplyTo: replyTo,
		Text:    req.Message,
		Date:    time.Unix(int64(m.Date), 0),
	})
	return &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateMessageID{ID: m.ID, RandomID: req.RandomID}, update},
		Users:   c.users(a.id, a.id, peerUserID(m.PeerID)),
		Chats:   chats,
		Date:    now(),
	}, nil
}

func clonePeer(p tg.PeerClass) tg.PeerClass {
	switch p := p.(type) {
	case *tg.PeerUser:
		cp := *p
		return &cp
	case *tg.PeerChat:
		cp := *p
		return &cp
	case *tg.PeerChannel:
		cp := *p
		return &cp
	}
	return p
}

func peerUserID(p tg.PeerClass) int64 {
	if u, ok := p.(*tg.PeerUser); ok {
		return u.UserID
	}
	return 0
}

// sendDM stores a private message from a to u in both accounts' boxes and
// returns a's copy. c.mu must be held.
func (c *Cluster) sendDM(a, u *Account, text string, replyTo int, skip *authKey) *tg.Message {
	c.nextMsgID++
	mk := func(peer int64) *tg.Message {
		m := &tg.Message{ID: c.nextMsgID, PeerID: &tg.PeerUser{UserID: peer}, FromID: &tg.PeerUser{UserID: a.id}, Date: now(), Message: text}
		if replyTo != 0 {
			m.ReplyTo = &tg.MessageReplyHeader{ReplyToMsgID: replyTo}
		}
		return m
	}
	out := mk(u.id)
	a.dms[u.id] = append(a.dms[u.id], out)
	a.pts++
	a.events = append(a.events, ptsEvent{pts: a.pts, msg: out})
	c.pushAccount(a, skip, func() tg.UpdatesClass {
		return &tg.Updates{
			Updates: []tg.UpdateClass{&tg.UpdateNewMessage{Message: cloneMessage(out, a.id), Pts: a.pts, PtsCount: 1}},
			Users:   c.users(a.id, a.id, u.id),
			Date:    now(),
		}
	})
	if u != a {
		in := mk(a.id)
		u.dms[a.id] = append(u.dms[a.id], in)
		u.pts++
		u.events = append(u.events, ptsEvent{pts: u.pts, msg: in})
		pts := u.pts
		c.pushAccount(u, nil, func() tg.UpdatesClass {
			return &tg.Updates{
				Updates: []tg.UpdateClass{&tg.UpdateNewMessage{Message: cloneMessage(in, u.id), Pts: pts, PtsCount: 1}},
				Users:   c.users(u.id, a.id, u.id),
				Date:    now(),
			}
		})
	}
	return out
}

func (c *Cluster) messagesGetFullChat(ctx context.Context, chatID int64) (*tg.MessagesChatFull, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	ch, _, err := c.resolve(a, &tg.InputPeerChat{ChatID: chatID})
	if err != nil {
		return nil, tgerr.New(400, "CHAT_ID_INVALID")
	}
	var parts []tg.ChatParticipantClass
	var ids []int64
	for id := range ch.members {
		parts = append(parts, &tg.ChatParticipant{UserID: id, InviterID: ch.creatorID, Date: ch.date})
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return &tg.MessagesChatFull{
		FullChat: &tg.ChatFull{
			ID:             ch.id,
			Participants:   &tg.ChatParticipants{ChatID: ch.id, Participants: parts, Version: 1},
			NotifySettings: tg.PeerNotifySettings{},
		},
		Chats: []tg.ChatClass{ch.tgChat(a.id)},
		Users: c.users(a.id, ids...),
	}, nil
}

func (c *Cluster) channelsGetFullChannel(ctx context.Context, in tg.InputChannelClass) (*tg.MessagesChatFull, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := c.channel(a, in)
	if err != nil {
		return nil, err
	}
	full := &tg.ChannelFull{
		ID:             ch.id,
		ChatPhoto:      &tg.PhotoEmpty{},
		NotifySettings: tg.PeerNotifySettings{},
		Pts:            ch.pts,
	}
	full.SetParticipantsCount(ch.participants())
	return &tg.MessagesChatFull{FullChat: full, Chats: []tg.ChatClass{ch.tgChat(a.id)}}, nil
}

func (c *Cluster) channelsJoinChannel(ctx context.Context, in tg.InputChannelClass) (tg.MessagesChatInviteJoinResultClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := c.channel(a, in)
	if err != nil {
		return nil, err
	}
	if ch.members[a.id] {
		return &tg.MessagesChatInviteJoinResultOk{Updates: &tg.Updates{Chats: []tg.ChatClass{ch.tgChat(a.id)}, Date: now()}}, nil
	}
	if a.joinedChannels() >= c.opts.maxJoins {
		return nil, tgerr.New(400, "CHANNELS_TOO_MUCH")
	}
	ch.members[a.id] = true
	return &tg.MessagesChatInviteJoinResultOk{Updates: &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateChannel{ChannelID: ch.id}},
		Chats:   []tg.ChatClass{ch.tgChat(a.id)},
		Date:    now(),
	}}, nil
}

func (c *Cluster) channelsLeaveChannel(ctx context.Context, in tg.InputChannelClass) (tg.UpdatesClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := c.channel(a, in)
	if err != nil {
		return nil, err
	}
	if !ch.members[a.id] {
		return nil, tgerr.New(400, "USER_NOT_PARTICIPANT")
	}
	delete(ch.members, a.id)
	return &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateChannel{ChannelID: ch.id}},
		Chats:   []tg.ChatClass{ch.tgChat(a.id)},
		Date:    now(),
	}, nil
}

// contactsSearch finds public supergroups and channels whose title or
// username contains the query, case-insensitively.
func (c *Cluster) contactsSearch(ctx context.Context, req *tg.ContactsSearchRequest) (*tg.ContactsFound, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(req.Q), "@"))
	if len([]rune(q)) < 2 {
		return nil, tgerr.New(400, "QUERY_TOO_SHORT")
	}
	var found []*Chat
	for _, ch := range c.chats {
		if !ch.isChannel() || ch.username == "" {
			continue
		}
		if strings.Contains(strings.ToLower(ch.title), q) || strings.Contains(strings.ToLower(ch.username), q) {
			found = append(found, ch)
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].id < found[j].id })
	limit := req.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	res := &tg.ContactsFound{}
	for _, ch := range found[:min(limit, len(found))] {
		if ch.members[a.id] {
			res.MyResults = append(res.MyResults, ch.peer())
		} else {
			res.Results = append(res.Results, ch.peer())
		}
		res.Chats = append(res.Chats, ch.tgChat(a.id))
	}
	return res, nil
}

func (c *Cluster) contactsResolveUsername(ctx context.Context, req *tg.ContactsResolveUsernameRequest) (*tg.ContactsResolvedPeer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimPrefix(req.Username, "@"))
	for _, ch := range c.chats {
		if ch.username != "" && strings.ToLower(ch.username) == name {
			return &tg.ContactsResolvedPeer{Peer: ch.peer(), Chats: []tg.ChatClass{ch.tgChat(a.id)}}, nil
		}
	}
	for _, u := range c.accounts {
		if u.username != "" && strings.ToLower(u.username) == name {
			return &tg.ContactsResolvedPeer{Peer: &tg.PeerUser{UserID: u.id}, Users: c.users(a.id, u.id)}, nil
		}
	}
	return nil, tgerr.New(400, "USERNAME_NOT_OCCUPIED")
}
