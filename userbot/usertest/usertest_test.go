package usertest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/telegram/query"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"

	"github.com/leadgenrunner/leadgenrunner/userbot/usertest"
)

func newClient(t *testing.T, c *usertest.Cluster) *testClient {
	return startClient(t, c, &session.StorageMemory{}, usertest.NewMemoryState())
}

func TestLoginWithCode(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	acc := c.AddAccount("+1 555 000 0001", usertest.AccountOptions{FirstName: "Ann", Username: "ann"})
	tc := newClient(t, c)
	a := tc.Auth()
	ctx := tc.ctx

	if _, err := a.SendCode(ctx, "+12ab", auth.SendCodeOptions{}); !tgerr.Is(err, "PHONE_NUMBER_INVALID") {
		t.Fatalf("send code to bad number: got %v; want PHONE_NUMBER_INVALID", err)
	}
	sent, err := a.SendCode(ctx, "+15550000001", auth.SendCodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sc := sent.(*tg.AuthSentCode)
	if got, want := sc.Type.(*tg.AuthSentCodeTypeApp).Length, len(acc.Code()); got != want || want != 5 {
		t.Fatalf("code length: got %d; want %d (code %q)", got, want, acc.Code())
	}
	wrong := "00000"
	if wrong == acc.Code() {
		wrong = "11111"
	}
	if _, err := a.SignIn(ctx, "+15550000001", wrong, sc.PhoneCodeHash); !tgerr.Is(err, "PHONE_CODE_INVALID") {
		t.Fatalf("wrong code: got %v; want PHONE_CODE_INVALID", err)
	}
	if st, _ := a.Status(ctx); st.Authorized {
		t.Fatal("authorized before a right code")
	}
	res, err := a.SignIn(ctx, "+15550000001", acc.Code(), sc.PhoneCodeHash)
	if err != nil {
		t.Fatalf("right code: %v", err)
	}
	if got := res.User.(*tg.User); got.ID != acc.ID() || !got.Self || got.Username != "ann" {
		t.Fatalf("signed in as %+v; want self %d", got, acc.ID())
	}
	self, err := tc.Self(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if self.ID != acc.ID() || self.AccessHash != acc.AccessHash() {
		t.Fatalf("self: got %d/%d; want %d/%d", self.ID, self.AccessHash, acc.ID(), acc.AccessHash())
	}
	if got := acc.Sessions(); got != 1 {
		t.Fatalf("sessions: got %d; want 1", got)
	}
}

func TestLoginCodeExpiry(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	acc := c.AddAccount("+15550000002", usertest.AccountOptions{})
	tc := newClient(t, c)
	a, ctx, phone := tc.Auth(), tc.ctx, "+15550000002"

	sent, err := a.SendCode(ctx, phone, auth.SendCodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hash := sent.(*tg.AuthSentCode).PhoneCodeHash
	acc.ExpireCode()
	if _, err := a.SignIn(ctx, phone, acc.Code(), hash); !tgerr.Is(err, "PHONE_CODE_EXPIRED") {
		t.Fatalf("expired code: got %v; want PHONE_CODE_EXPIRED", err)
	}

	sent, err = a.SendCode(ctx, phone, auth.SendCodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	oldHash, oldCode := sent.(*tg.AuthSentCode).PhoneCodeHash, acc.Code()
	resent, err := a.ResendCode(ctx, phone, oldHash)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Code() == oldCode {
		t.Fatalf("resend kept code %q", oldCode)
	}
	if _, err := a.SignIn(ctx, phone, oldCode, oldHash); !tgerr.Is(err, "PHONE_CODE_EXPIRED") {
		t.Fatalf("code before resend: got %v; want PHONE_CODE_EXPIRED", err)
	}

	// The hash is tied to the auth key that asked for it.
	other := newClient(t, c)
	newHash := resent.(*tg.AuthSentCode).PhoneCodeHash
	if _, err := other.Auth().SignIn(other.ctx, phone, acc.Code(), newHash); !tgerr.Is(err, "PHONE_CODE_EXPIRED") {
		t.Fatalf("hash from another auth key: got %v; want PHONE_CODE_EXPIRED", err)
	}
	if _, err := a.SignIn(ctx, phone, acc.Code(), newHash); err != nil {
		t.Fatalf("code after resend: %v", err)
	}
}

func TestLoginUnregisteredNumber(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	tc := newClient(t, c)
	sent, err := tc.Auth().SendCode(tc.ctx, "+15559999999", auth.SendCodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sc := sent.(*tg.AuthSentCode)
	_, err = tc.Auth().SignIn(tc.ctx, "+15559999999", c.CodeFor("+15559999999"), sc.PhoneCodeHash)
	var signUp *auth.SignUpRequired
	if !errors.As(err, &signUp) {
		t.Fatalf("got %v; want auth.SignUpRequired", err)
	}
}

func TestLogin2FA(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	acc := c.AddAccount("+15550000003", usertest.AccountOptions{Password: "hunter2"})
	tc := newClient(t, c)
	a, ctx, phone := tc.Auth(), tc.ctx, "+15550000003"

	sent, err := a.SendCode(ctx, phone, auth.SendCodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignIn(ctx, phone, acc.Code(), sent.(*tg.AuthSentCode).PhoneCodeHash); err != auth.ErrPasswordAuthNeeded {
		t.Fatalf("sign in: got %v; want ErrPasswordAuthNeeded", err)
	}
	if _, err := a.Password(ctx, "hunter3"); err != auth.ErrPasswordInvalid {
		t.Fatalf("wrong password: got %v; want ErrPasswordInvalid", err)
	}
	if st, _ := a.Status(ctx); st.Authorized {
		t.Fatal("authorized after a wrong password")
	}
	res, err := a.Password(ctx, "hunter2")
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	if got := res.User.GetID(); got != acc.ID() {
		t.Fatalf("user: got %d; want %d", got, acc.ID())
	}
}

func TestQRLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
	}{
		{name: "plain"},
		{name: "2fa", password: "pw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := usertest.New(t)
			acc := c.AddAccount("+15550000004", usertest.AccountOptions{Password: tt.password})
			tc := newClient(t, c)
			shown := 0
			_, err := tc.QR().Auth(tc.ctx, tc.loggedIn, func(_ context.Context, token qrlogin.Token) error {
				shown++
				if time.Until(token.Expires()) < 20*time.Second {
					t.Errorf("token expires in %v; want about 30s", time.Until(token.Expires()))
				}
				return acc.AcceptQR(token.URL())
			})
			if tt.password != "" {
				if !tgerr.Is(err, "SESSION_PASSWORD_NEEDED") {
					t.Fatalf("QR with 2FA: got %v; want SESSION_PASSWORD_NEEDED", err)
				}
				if _, err = tc.Auth().Password(tc.ctx, tt.password); err != nil {
					t.Fatalf("password after QR: %v", err)
				}
			} else if err != nil {
				t.Fatalf("QR login: %v", err)
			}
			if shown != 1 {
				t.Fatalf("shown %d tokens; want 1", shown)
			}
			self, err := tc.Self(tc.ctx)
			if err != nil || self.ID != acc.ID() {
				t.Fatalf("self after QR: %v, %v", self, err)
			}
		})
	}
}

func TestQRTokenExpiry(t *testing.T) {
	t.Parallel()
	c := usertest.New(t, usertest.WithQRTokenTTL(time.Second))
	acc := c.AddAccount("+15550000005", usertest.AccountOptions{})
	tc := newClient(t, c)
	first, err := tc.QR().Export(tc.ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if err := acc.AcceptQR(first.URL()); !tgerr.Is(err, "AUTH_TOKEN_EXPIRED") {
		t.Fatalf("expired token: got %v; want AUTH_TOKEN_EXPIRED", err)
	}
	second, err := tc.QR().Export(tc.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.String() == first.String() {
		t.Fatal("refresh returned the same token")
	}
	if err := acc.AcceptQR(second.URL()); err != nil {
		t.Fatalf("refreshed token: %v", err)
	}
	if err := acc.AcceptQR(second.URL()); !tgerr.Is(err, "AUTH_TOKEN_ALREADY_ACCEPTED") {
		t.Fatalf("accepted twice: got %v; want AUTH_TOKEN_ALREADY_ACCEPTED", err)
	}
	if _, err := tc.QR().Import(tc.ctx); err != nil {
		t.Fatalf("import: %v", err)
	}
}

func TestDialogs(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000010", usertest.AccountOptions{})
	bob := c.AddAccount("+15550000011", usertest.AccountOptions{})
	g := c.AddGroup("Group", me, bob)
	sg := c.AddSupergroup("Super", "super", me)
	sg.SetParticipantsCount(1500)
	ch := c.AddChannel("Chan", "", me)
	c.AddGroup("Not mine", bob)
	c.Post(g, bob, "hello")
	c.Post(ch, nil, "news")

	tc := newClient(t, c)
	tc.login(me, "")
	elems, err := query.GetDialogs(tc.API()).BatchSize(2).Collect(tc.ctx)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id      int64
		title   string
		members int
		hash    int64
	}
	var got []row
	for _, e := range elems {
		switch p := e.Peer.(type) {
		case *tg.InputPeerChat:
			chat, _ := e.Entities.Chat(p.ChatID)
			got = append(got, row{chat.ID, chat.Title, chat.ParticipantsCount, 0})
		case *tg.InputPeerChannel:
			chn, _ := e.Entities.Channel(p.ChannelID)
			n, _ := chn.GetParticipantsCount()
			got = append(got, row{chn.ID, chn.Title, n, p.AccessHash})
		default:
			t.Fatalf("unexpected peer %T", p)
		}
	}
	// Newest top message first; chats without messages by creation.
	want := []row{
		{ch.ID(), "Chan", 1, ch.AccessHash()},
		{g.ID(), "Group", 2, 0},
		{sg.ID(), "Super", 1500, sg.AccessHash()},
	}
	if len(got) != len(want) {
		t.Fatalf("dialogs: got %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("dialog %d: got %+v; want %+v", i, got[i], want[i])
		}
	}

	full, err := tc.API().ChannelsGetFullChannel(tc.ctx, &tg.InputChannel{ChannelID: sg.ID(), AccessHash: sg.AccessHash()})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := full.FullChat.(*tg.ChannelFull).GetParticipantsCount(); n != 1500 {
		t.Fatalf("full channel participants: got %d; want 1500", n)
	}
	if _, err := tc.API().ChannelsGetFullChannel(tc.ctx, &tg.InputChannel{ChannelID: sg.ID(), AccessHash: 1}); !tgerr.Is(err, "CHANNEL_INVALID") {
		t.Fatalf("wrong access hash: got %v; want CHANNEL_INVALID", err)
	}
}

func TestLivePush(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000020", usertest.AccountOptions{})
	bob := c.AddAccount("+15550000021", usertest.AccountOptions{})
	g := c.AddGroup("Group", me, bob)
	sg := c.AddSupergroup("Super", "super", me, bob)
	other := c.AddGroup("Bob only", bob)

	tc := newClient(t, c)
	tc.login(me, "")
	tc.runUpdates(me.ID())

	id := c.Post(g, bob, "in group")
	m := next(t, tc.news)
	if m.ID != id || m.Message != "in group" || m.Out {
		t.Fatalf("group message: got %d %q out=%v; want %d", m.ID, m.Message, m.Out, id)
	}
	if p, ok := m.PeerID.(*tg.PeerChat); !ok || p.ChatID != g.ID() {
		t.Fatalf("group message peer: got %v", m.PeerID)
	}
	if got := me.Pts(); got != 1 {
		t.Fatalf("pts after one group message: got %d; want 1", got)
	}

	c.Post(other, bob, "not for me")
	for i := 1; i <= 3; i++ {
		id := c.Post(sg, bob, "in supergroup")
		m := next(t, tc.news)
		if m.ID != id {
			t.Fatalf("supergroup message: got id %d; want %d", m.ID, id)
		}
		if p, ok := m.PeerID.(*tg.PeerChannel); !ok || p.ChannelID != sg.ID() {
			t.Fatalf("supergroup message peer: got %v", m.PeerID)
		}
	}
	if got := sg.Pts(); got != 4 {
		t.Fatalf("channel pts: got %d; want 4 (1 at creation + 3 messages)", got)
	}
	if err := c.Edit(sg, 2, "edited"); err != nil {
		t.Fatal(err)
	}
	if e := next(t, tc.edits); e.ID != 2 || e.Message != "edited" || e.EditDate == 0 {
		t.Fatalf("edit: got %d %q", e.ID, e.Message)
	}
	none(t, tc.news, 300*time.Millisecond)
	if u := c.Unhandled(); len(u) != 0 {
		t.Errorf("methods the fake does not implement were called: %v", u)
	}
}

func TestCatchUpAfterRestart(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000030", usertest.AccountOptions{})
	bob := c.AddAccount("+15550000031", usertest.AccountOptions{})
	g := c.AddGroup("Group", me, bob)
	sg := c.AddSupergroup("Super", "", me, bob)
	sess, state := &session.StorageMemory{}, usertest.NewMemoryState()

	first := startClient(t, c, sess, state)
	first.login(me, "")
	first.runUpdates(me.ID())
	c.Post(g, bob, "g1")
	c.Post(sg, bob, "s1")
	next(t, first.news)
	next(t, first.news)
	first.stop()

	gID := c.Post(g, bob, "g2 while offline")
	sID := c.Post(sg, bob, "s2 while offline")

	second := startClient(t, c, sess, state)
	if got, want := me.Sessions(), 1; got != want {
		t.Fatalf("sessions after restart: got %d; want %d (session not reused)", got, want)
	}
	second.runUpdates(me.ID())
	got := map[string]int{}
	for range 2 {
		m := next(t, second.news)
		got[m.Message] = m.ID
	}
	if got["g2 while offline"] != gID || got["s2 while offline"] != sID {
		t.Fatalf("caught up %v; want g2=%d s2=%d", got, gID, sID)
	}
	none(t, second.news, 500*time.Millisecond)
}

func TestHistory(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000040", usertest.AccountOptions{})
	sg := c.AddSupergroup("Super", "super", me)
	for i := 0; i < 10; i++ {
		c.Post(sg, me, "m")
	}
	tc := newClient(t, c)
	tc.login(me, "")
	peer := &tg.InputPeerChannel{ChannelID: sg.ID(), AccessHash: sg.AccessHash()}
	tests := []struct {
		name string
		req  tg.MessagesGetHistoryRequest
		want []int
	}{
		{name: "newest", req: tg.MessagesGetHistoryRequest{Limit: 3}, want: []int{10, 9, 8}},
		{name: "min id", req: tg.MessagesGetHistoryRequest{Limit: 100, MinID: 7}, want: []int{10, 9, 8}},
		{name: "offset id", req: tg.MessagesGetHistoryRequest{Limit: 2, OffsetID: 5}, want: []int{4, 3}},
		{name: "newer than offset", req: tg.MessagesGetHistoryRequest{Limit: 2, OffsetID: 5, AddOffset: -2}, want: []int{6, 5}},
		{name: "max id", req: tg.MessagesGetHistoryRequest{Limit: 100, MaxID: 3}, want: []int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Peer = peer
			res, err := tc.API().MessagesGetHistory(tc.ctx, &req)
			if err != nil {
				t.Fatal(err)
			}
			cm := res.(*tg.MessagesChannelMessages)
			var got []int
			for _, m := range cm.Messages {
				got = append(got, m.GetID())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got ids %v; want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got ids %v; want %v", got, tt.want)
				}
			}
			if cm.Count != 10 || cm.Pts != 11 {
				t.Fatalf("count %d pts %d; want 10 11", cm.Count, cm.Pts)
			}
		})
	}
}

func TestLogoutInvalidatesKey(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000050", usertest.AccountOptions{})
	tc := newClient(t, c)
	tc.login(me, "")
	if _, err := tc.API().AuthLogOut(tc.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.Self(tc.ctx); !tgerr.Is(err, "AUTH_KEY_UNREGISTERED") {
		t.Fatalf("after logout: got %v; want AUTH_KEY_UNREGISTERED", err)
	}
	if got := me.Sessions(); got != 0 {
		t.Fatalf("sessions after logout: got %d; want 0", got)
	}
}

func TestRevokeAndBan(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000051", usertest.AccountOptions{})
	tc := newClient(t, c)
	tc.login(me, "")
	me.Ban()
	if _, err := tc.Self(tc.ctx); !tgerr.Is(err, "USER_DEACTIVATED_BAN") {
		t.Fatalf("banned: got %v; want USER_DEACTIVATED_BAN", err)
	}
	me.Revoke()
	if _, err := tc.Self(tc.ctx); !tgerr.Is(err, "SESSION_REVOKED") {
		t.Fatalf("revoked: got %v; want SESSION_REVOKED", err)
	}
}

func TestFloodWaitInjection(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000060", usertest.AccountOptions{})
	g := c.AddGroup("Group", me)
	tc := newClient(t, c)
	tc.login(me, "")
	me.FailNext("messages.getHistory", tgerr.New(420, "FLOOD_WAIT_7"), 1)
	req := &tg.MessagesGetHistoryRequest{Peer: &tg.InputPeerChat{ChatID: g.ID()}, Limit: 10}
	_, err := tc.API().MessagesGetHistory(tc.ctx, req)
	if d, ok := tgerr.AsFloodWait(err); !ok || d != 7*time.Second {
		t.Fatalf("got %v (wait %v); want FLOOD_WAIT_7", err, d)
	}
	if rpcErr, _ := tgerr.As(err); rpcErr.Argument != 7 || rpcErr.Code != 420 {
		t.Fatalf("error %+v; want code 420 argument 7", rpcErr)
	}
	if _, err := tc.API().MessagesGetHistory(tc.ctx, req); err != nil {
		t.Fatalf("second call: %v", err)
	}
}

func TestSearchJoinSend(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000070", usertest.AccountOptions{})
	bob := c.AddAccount("+15550000071", usertest.AccountOptions{})
	pub := c.AddSupergroup("Go Jobs Berlin", "gojobs", bob)
	c.AddSupergroup("Secret Go", "", bob)
	c.AddChannel("Cooking", "cook", bob)

	tc := newClient(t, c)
	tc.login(me, "")
	bc := newClient(t, c)
	bc.login(bob, "")
	bc.runUpdates(bob.ID())

	found, err := tc.API().ContactsSearch(tc.ctx, &tg.ContactsSearchRequest{Q: "go", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Results) != 1 || len(found.Chats) != 1 {
		t.Fatalf("search: got %d results %d chats; want the public one only", len(found.Results), len(found.Chats))
	}
	chn := found.Chats[0].(*tg.Channel)
	if chn.ID != pub.ID() || !chn.Left {
		t.Fatalf("search result %d left=%v; want %d left", chn.ID, chn.Left, pub.ID())
	}
	in := &tg.InputChannel{ChannelID: chn.ID, AccessHash: chn.AccessHash}
	if _, err := tc.API().ChannelsJoinChannel(tc.ctx, in); err != nil {
		t.Fatal(err)
	}
	if got := me.JoinedChannels(); got != 1 {
		t.Fatalf("joined: got %d; want 1", got)
	}
	if got := pub.Members(); got != 2 {
		t.Fatalf("members: got %d; want 2", got)
	}

	orig := c.Post(pub, bob, "need a Go dev")
	next(t, bc.news)
	_, err = tc.API().MessagesSendMessage(tc.ctx, &tg.MessagesSendMessageRequest{
		Peer:     &tg.InputPeerChannel{ChannelID: chn.ID, AccessHash: chn.AccessHash},
		Message:  "hi, I can help",
		RandomID: 42,
		ReplyTo:  &tg.InputReplyToMessage{ReplyToMsgID: orig},
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := me.Sent()
	if len(sent) != 1 || sent[0].ReplyTo != orig || sent[0].Text != "hi, I can help" {
		t.Fatalf("sent: got %+v", sent)
	}
	if p, ok := sent[0].Peer.(*tg.PeerChannel); !ok || p.ChannelID != pub.ID() {
		t.Fatalf("sent peer: got %v", sent[0].Peer)
	}
	m := next(t, bc.news)
	if m.Message != "hi, I can help" || m.ID != sent[0].ID {
		t.Fatalf("bob got %d %q", m.ID, m.Message)
	}
}

func TestCodeSharedInChatExpires(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550000080", usertest.AccountOptions{})
	g := c.AddGroup("Group", me)
	signedIn := newClient(t, c)
	signedIn.login(me, "")

	second := newClient(t, c)
	sent, err := second.Auth().SendCode(second.ctx, "+15550000080", auth.SendCodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = signedIn.API().MessagesSendMessage(signedIn.ctx, &tg.MessagesSendMessageRequest{
		Peer:     &tg.InputPeerChat{ChatID: g.ID()},
		Message:  "my code is " + me.Code(),
		RandomID: 7,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = second.Auth().SignIn(second.ctx, "+15550000080", me.Code(), sent.(*tg.AuthSentCode).PhoneCodeHash)
	if !tgerr.Is(err, "PHONE_CODE_EXPIRED") {
		t.Fatalf("code shared in a chat: got %v; want PHONE_CODE_EXPIRED", err)
	}
}
