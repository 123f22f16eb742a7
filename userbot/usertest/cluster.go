package usertest

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gotd/log/logslog"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
	"github.com/gotd/td/tgtest/cluster"
)

// DC is the id of the cluster's only data center (gotd's default DC).
const DC = 2

// Option configures a Cluster.
type Option func(*options)

type options struct {
	logger   *slog.Logger
	codeTTL  time.Duration
	qrTTL    time.Duration
	codeLen  int
	maxJoins int
}

// WithLogger sends the MTProto servers' logs to l. By default they are
// discarded.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithCodeTTL sets how long a login code stays valid. The default is five
// minutes.
func WithCodeTTL(d time.Duration) Option { return func(o *options) { o.codeTTL = d } }

// WithQRTokenTTL sets how long a QR login token stays valid. The default is
// 30 seconds, as in Telegram.
func WithQRTokenTTL(d time.Duration) Option { return func(o *options) { o.qrTTL = d } }

func (o *options) setDefaults() {
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if o.codeTTL == 0 {
		o.codeTTL = 5 * time.Minute
	}
	if o.qrTTL == 0 {
		o.qrTTL = 30 * time.Second
	}
	if o.codeLen == 0 {
		o.codeLen = 5
	}
	if o.maxJoins == 0 {
		o.maxJoins = 500
	}
}

// Cluster is a fake Telegram: one MTProto data center with accounts, chats
// and messages. All methods are safe for concurrent use.
type Cluster struct {
	opts options
	cl   *cluster.Cluster
	srv  *tgtest.Server
	disp *tg.ServerDispatcher
	ctx  context.Context // cancelled on cleanup; bounds pushes
	wg   sync.WaitGroup  // push goroutines

	mu        sync.Mutex
	keys      map[[8]byte]*authKey
	accounts  map[int64]*Account
	byPhone   map[string]*Account
	chats     map[int64]*Chat
	codes     map[string]*loginCode // by phone code hash
	lastCode  map[string]*loginCode // by phone
	codeSeq   map[string]int        // codes issued per phone
	tokens    map[string]*qrToken   // by raw token
	failures  []*failure            // cluster-wide injected errors
	unhandled map[string]int        // method name -> calls answered INPUT_METHOD_INVALID
	nextUser  int64
	nextChat  int64
	nextMsgID int // message box shared by basic groups and private chats
	nextSRPID int64
}

// New starts a Cluster in the background and stops it when t ends.
func New(t testing.TB, opts ...Option) *Cluster {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	o.setDefaults()

	c := &Cluster{
		opts:      o,
		keys:      map[[8]byte]*authKey{},
		accounts:  map[int64]*Account{},
		byPhone:   map[string]*Account{},
		chats:     map[int64]*Chat{},
		codes:     map[string]*loginCode{},
		lastCode:  map[string]*loginCode{},
		codeSeq:   map[string]int{},
		tokens:    map[string]*qrToken{},
		unhandled: map[string]int{},
		nextUser:  100000,
		nextChat:  1000,
		nextSRPID: 1,
	}
	c.cl = cluster.NewCluster(cluster.Options{Logger: logslog.New(o.logger)})
	c.srv, _ = c.cl.DC(DC, "dc"+strconv.Itoa(DC))
	c.disp = tg.NewServerDispatcher(c.fallback)
	c.register()
	c.cl.Common().Fallback(tgtest.HandlerFunc(c.handle))

	ctx, cancel := context.WithCancel(context.Background())
	c.ctx = ctx
	done := make(chan error, 1)
	go func() { done <- c.cl.Up(ctx) }()
	select {
	case <-c.cl.Ready():
	case err := <-done:
		cancel()
		t.Fatalf("usertest: start cluster: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("usertest: cluster: %v", err)
		}
		c.wg.Wait()
	})
	return c
}

// ClientOptions returns what a gotd client needs to reach the cluster.
func (c *Cluster) ClientOptions() (publicKeys []telegram.PublicKey, resolver dcs.Resolver, dcList dcs.List) {
	return c.cl.Keys(), c.cl.Resolver(), c.cl.List()
}

// Options returns o with PublicKeys, Resolver and DCList pointing at the
// cluster.
func (c *Cluster) Options(o telegram.Options) telegram.Options {
	o.PublicKeys, o.Resolver, o.DCList = c.ClientOptions()
	return o
}

// Addr returns the host:port of the cluster's data center.
func (c *Cluster) Addr() string {
	for _, opt := range c.cl.List().Options {
		if opt.ID == DC {
			return net.JoinHostPort(opt.IPAddress, strconv.Itoa(opt.Port))
		}
	}
	return ""
}

// PublicKeyPEM returns the data center's RSA public key as PEM, the format
// of a public key file given to a client by path.
func (c *Cluster) PublicKeyPEM() []byte {
	var out []byte
	for _, k := range c.cl.Keys() {
		out = append(out, pem.EncodeToMemory(&pem.Block{
			Type:  "RSA PUBLIC KEY",
			Bytes: x509.MarshalPKCS1PublicKey(k.RSA),
		})...)
	}
	return out
}

// Unhandled returns how many calls of each method the cluster does not
// implement were answered with INPUT_METHOD_INVALID.
func (c *Cluster) Unhandled() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.unhandled))
	for k, v := range c.unhandled {
		out[k] = v
	}
	return out
}

// failure is an error injected into the next calls of one method.
type failure struct {
	method string // TL name such as "messages.getHistory"; empty matches any
	err    *tgerr.Error
	left   int
}

// FailNext makes the next n calls of method (a TL name such as
// "messages.getHistory"; empty for any method) from any client fail with err,
// e.g. tgerr.New(420, "FLOOD_WAIT_2").
func (c *Cluster) FailNext(method string, err *tgerr.Error, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures = append(c.failures, newFailure(method, err, n))
}

func newFailure(method string, err *tgerr.Error, n int) *failure {
	if method != "" {
		if _, ok := tg.NamesMap()[method]; !ok {
			panic(fmt.Sprintf("usertest: unknown method %q", method))
		}
	}
	return &failure{method: method, err: err, left: n}
}

// takeFailure consumes one matching failure from list. c.mu must be held.
func takeFailure(list []*failure, method string) (*tgerr.Error, []*failure) {
	for i, f := range list {
		if f.method != "" && f.method != method {
			continue
		}
		f.left--
		if f.left <= 0 {
			list = append(list[:i:i], list[i+1:]...)
		}
		e := *f.err
		return &e, list
	}
	return nil, list
}

// authKey is the server's view of one client auth key.
type authKey struct {
	id      [8]byte
	session tgtest.Session // latest; changes on reconnect

	userID      int64         // signed-in account; 0 if none
	revoked     bool          // session terminated: SESSION_REVOKED until a new sign-in
	passwordFor int64         // account awaiting 2FA after code or QR
	srp         *srpSession   // last account.getPassword answer
	qr          *qrToken      // last exported QR token
	qrAccepted  int64         // account that accepted qr, until the next export
	pending     []bin.Encoder // updates waiting to be pushed
	pushing     bool
}

type keyCtx struct{}

// keyFrom returns the auth key of the request in ctx.
func keyFrom(ctx context.Context) *authKey { return ctx.Value(keyCtx{}).(*authKey) }

// methodName returns the TL name of a type id, without the "#id" suffix.
func methodName(id uint32) string {
	name := tg.TypesMap()[id]
	for i := 0; i < len(name); i++ {
		if name[i] == '#' {
			return name[:i]
		}
	}
	return name
}

// handle is the bridge from tgtest to the typed dispatcher. It runs on the
// connection's read loop and never blocks.
func (c *Cluster) handle(srv *tgtest.Server, req *tgtest.Request) error {
	id, err := req.Buf.PeekID()
	if err != nil {
		return err
	}
	method := methodName(id)

	c.mu.Lock()
	k := c.keys[req.Session.AuthKey.ID]
	if k == nil {
		k = &authKey{id: req.Session.AuthKey.ID}
		c.keys[k.id] = k
	}
	k.session = req.Session
	var injected *tgerr.Error
	if a := c.accounts[k.userID]; a != nil {
		injected, a.failures = takeFailure(a.failures, method)
	}
	if injected == nil {
		injected, c.failures = takeFailure(c.failures, method)
	}
	c.mu.Unlock()
	if injected != nil {
		return injected
	}

	res, err := c.disp.Handle(context.WithValue(req.RequestCtx, keyCtx{}, k), req.Buf)
	if err != nil {
		return err
	}
	return srv.SendResult(req, res)
}

func (c *Cluster) fallback(ctx context.Context, b *bin.Buffer) (bin.Encoder, error) {
	id, _ := b.PeekID()
	name := methodName(id)
	c.mu.Lock()
	c.unhandled[name]++
	c.mu.Unlock()
	c.opts.logger.Debug("usertest: unhandled method", "method", name)
	return nil, tgerr.New(400, "INPUT_METHOD_INVALID")
}

// register installs every implemented method.
func (c *Cluster) register() {
	d := c.disp
	// auth.go
	d.OnAuthSendCode(c.authSendCode)
	d.OnAuthResendCode(c.authResendCode)
	d.OnAuthSignIn(c.authSignIn)
	d.OnAuthLogOut(c.authLogOut)
	d.OnAccountGetPassword(c.accountGetPassword)
	d.OnAuthCheckPassword(c.authCheckPassword)
	d.OnAuthExportLoginToken(c.authExportLoginToken)
	d.OnAuthImportLoginToken(c.authImportLoginToken)
	d.OnAuthAcceptLoginToken(c.authAcceptLoginToken)
	d.OnUsersGetUsers(c.usersGetUsers)
	// updates.go
	d.OnUpdatesGetState(c.updatesGetState)
	d.OnUpdatesGetDifference(c.updatesGetDifference)
	d.OnUpdatesGetChannelDifference(c.updatesGetChannelDifference)
	// chats.go
	d.OnMessagesGetDialogs(c.messagesGetDialogs)
	d.OnMessagesGetHistory(c.messagesGetHistory)
	d.OnMessagesSendMessage(c.messagesSendMessage)
	d.OnMessagesGetFullChat(c.messagesGetFullChat)
	d.OnChannelsGetFullChannel(c.channelsGetFullChannel)
	d.OnChannelsJoinChannel(c.channelsJoinChannel)
	d.OnChannelsLeaveChannel(c.channelsLeaveChannel)
	d.OnContactsSearch(c.contactsSearch)
	d.OnContactsResolveUsername(c.contactsResolveUsername)
}

// requireAuth returns the key and account of a signed-in request, or the
// error Telegram gives an unauthorized one. c.mu must be held.
func (c *Cluster) requireAuth(ctx context.Context) (*authKey, *Account, error) {
	k := keyFrom(ctx)
	if k.revoked {
		return nil, nil, tgerr.New(401, "SESSION_REVOKED")
	}
	a := c.accounts[k.userID]
	if a == nil {
		return nil, nil, tgerr.New(401, "AUTH_KEY_UNREGISTERED")
	}
	if a.banned {
		return nil, nil, tgerr.New(401, "USER_DEACTIVATED_BAN")
	}
	return k, a, nil
}

// push queues u for the latest session of k. c.mu must be held. Updates to
// one key are sent in order by one goroutine, so a slow client never blocks
// a handler or another client.
func (c *Cluster) push(k *authKey, u bin.Encoder) {
	if c.ctx.Err() != nil {
		return
	}
	k.pending = append(k.pending, u)
	if k.pushing {
		return
	}
	k.pushing = true
	c.wg.Add(1)
	go c.drain(k)
}

func (c *Cluster) drain(k *authKey) {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		if len(k.pending) == 0 || c.ctx.Err() != nil {
			k.pending, k.pushing = nil, false
			c.mu.Unlock()
			return
		}
		u := k.pending[0]
		k.pending[0] = nil
		k.pending = k.pending[1:]
		sess := k.session
		c.mu.Unlock()

		if err := c.srv.Send(c.ctx, sess, tgtest.MessageFromServer, u); err != nil {
			// The client is offline; it catches up with getDifference.
			c.opts.logger.Debug("usertest: push failed", "error", err)
		}
	}
}

// pushAccount queues u for every signed-in key of account a except skip.
// c.mu must be held. build is called once per key so that no two encoders
// share an object (gotd's Encode writes the Flags fields).
func (c *Cluster) pushAccount(a *Account, skip *authKey, build func() tg.UpdatesClass) {
	for _, k := range c.keys {
		if k.userID != a.id || k.revoked || k == skip {
			continue
		}
		c.push(k, build())
	}
}

func now() int { return int(time.Now().Unix()) }
