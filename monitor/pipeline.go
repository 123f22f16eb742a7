package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// ErrStopped is returned by Ingest when the pipeline's Run has returned.
var ErrStopped = errors.New("monitor: pipeline stopped")

// DefaultMaxBatch is the most messages one group commit stores.
const DefaultMaxBatch = 512

// PipelineConfig configures NewPipeline.
type PipelineConfig struct {
	// Store is where messages, leads, alerts and counters go; required.
	Store *store.Store
	// Logger receives batch failures and skipped rules; nil discards.
	Logger *slog.Logger
	// Now stamps leads and schedules alerts; nil means time.Now.
	Now func() time.Time
	// OnAlert is called after a commit that enqueued at least one alert,
	// to wake the alert sender; nil means nobody is told. It runs on the
	// writer loop: it must not block.
	OnAlert func()
	// MaxBatch caps the messages stored in one transaction; zero means
	// DefaultMaxBatch.
	MaxBatch int
}

func (c *PipelineConfig) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
}

// Pipeline turns messages into stored messages, leads, alerts and
// analytics. Ingest may be called from any number of goroutines; one Run
// loop writes what they hand in, many messages per transaction (group
// commit), so ingest is not bound by one fsync per message.
type Pipeline struct {
	cfg     PipelineConfig
	store   *store.Store
	log     *slog.Logger
	queue   chan *ingestReq
	started atomic.Bool
	stopped chan struct{} // closed when Run returns

	mu       sync.Mutex
	matchers map[int64]*cachedMatcher  // by owner
	zones    map[string]*time.Location // by TZ name, for AlertDue
}

// cachedMatcher is an owner's compiled rules at one RulesVersion.
type cachedMatcher struct {
	version  uint64
	m        *Matcher
	keywords int // number of keyword rules compiled
}

// ingestReq is one message waiting for the writer loop. Matching is done
// by the caller before it is queued, outside the write lock.
type ingestReq struct {
	owner int64
	msg   store.Message
	res   Result
	key   string     // DedupeKey, set when res.Match
	done  chan error // buffered: the loop never blocks on a caller
	// abandoned is set when the caller gave up waiting (its context ended,
	// e.g. the account was disconnected): the writer then drops the
	// message unless it is already in the transaction being committed.
	abandoned atomic.Bool
}

// ingestOutcome is what happened to one message in a batch.
type ingestOutcome int

const (
	outcomeDuplicate ingestOutcome = iota // already stored
	outcomeStored                         // stored, no lead
	outcomeCrossPost                      // stored, added to a recent lead
	outcomeLead                           // stored, new lead and alert
	outcomeDropped                        // not stored: caller gone or owner deleted
)

// NewPipeline returns a pipeline writing to cfg.Store. Start its Run loop
// before calling Ingest.
func NewPipeline(cfg PipelineConfig) (*Pipeline, error) {
	cfg.setDefaults()
	if cfg.Store == nil {
		return nil, errors.New("monitor: new pipeline: Config.Store is nil")
	}
	return &Pipeline{
		cfg:      cfg,
		store:    cfg.Store,
		log:      cfg.Logger,
		queue:    make(chan *ingestReq, cfg.MaxBatch),
		stopped:  make(chan struct{}),
		matchers: map[int64]*cachedMatcher{},
		zones:    map[string]*time.Location{},
	}, nil
}

// Ingest matches a message against the owner's rules and blocks until it
// is durably stored together with what it caused: a new lead and its
// outbox entry, or a cross-post added to a recent lead, and the analytics
// counters. It returns nil for a message already stored (same owner, chat
// and message id), so a caller may retry freely. On failure nothing of the
// message is stored and the caller should retry. When ctx ends first it
// returns the wrapped ctx.Err(); the message may or may not be stored.
func (p *Pipeline) Ingest(ctx context.Context, ownerID int64, m store.Message) error {
	if ownerID <= 0 || m.ChatID == 0 || m.MsgID == 0 {
		return fmt.Errorf("monitor: ingest: invalid ids (owner %d, chat %d, message %d)", ownerID, m.ChatID, m.MsgID)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("monitor: ingest: %w", err)
	}
	cm, err := p.matcher(ownerID)
	if err != nil {
		return fmt.Errorf("monitor: ingest: %w", err)
	}
	req := &ingestReq{owner: ownerID, msg: m, done: make(chan error, 1)}
	if cm.keywords > 0 {
		doc := Analyze(m.Text)
		req.res = cm.m.MatchDoc(doc)
		if req.res.Match {
			req.key = dedupeKeyWords(m.SenderID, doc.Words())
		}
	}
	select {
	case p.queue <- req:
	case <-ctx.Done():
		return fmt.Errorf("monitor: ingest: %w", ctx.Err())
	case <-p.stopped:
		return ErrStopped
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		req.abandoned.Store(true)
		return fmt.Errorf("monitor: ingest: %w", ctx.Err())
	case <-p.stopped:
		select { // answered just before Run returned?
		case err := <-req.done:
			return err
		default:
			return ErrStopped
		}
	}
}

// Run is the writer loop: it takes the first queued message, opens a
// transaction and stores it and everything else queued until the queue is
// empty (up to MaxBatch messages), including what arrives while it works,
// then commits and releases the callers. It returns nil when ctx is done;
// later Ingest calls return ErrStopped. Run may be called once.
func (p *Pipeline) Run(ctx context.Context) error {
	if !p.started.CompareAndSwap(false, true) {
		return errors.New("monitor: pipeline: Run called twice")
	}
	defer func() {
		close(p.stopped)
		for {
			select {
			case r := <-p.queue:
				r.done <- ErrStopped
			default:
				return
			}
		}
	}()
	batch := make([]*ingestReq, 0, p.cfg.MaxBatch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-p.queue:
			batch = append(batch[:0], r)
		}
		batch = p.commit(batch)
		clear(batch) // drop references to answered requests
	}
}

// commit stores a batch in one transaction and answers every caller with
// its result: nil for all once committed, the same error for all if not.
// Inside the transaction it keeps taking queued messages until the queue
// is empty or the batch holds MaxBatch: callers released by the previous
// commit queue their next message while this one is being applied, and
// joining now spares them waiting a whole commit (two fsyncs) for the
// next. It returns the batch it stored, which may have grown.
func (p *Pipeline) commit(batch []*ingestReq) []*ingestReq {
	now := p.cfg.Now()
	var alerts int
	err := p.store.Update(func(tx *store.Tx) error {
		alerts = 0
		settings := map[int64]store.AlertSettings{}
		for i := 0; i < len(batch) || p.takeQueued(&batch); i++ {
			out, err := p.apply(tx, batch[i], now, settings)
			if err != nil {
				return err
			}
			if out == outcomeLead {
				alerts++
			}
		}
		return nil
	})
	if err != nil {
		p.log.Error("monitor: store batch", "messages", len(batch), "err", err)
		err = fmt.Errorf("monitor: ingest: %w", err)
	} else {
		p.log.Debug("monitor: batch stored", "messages", len(batch), "alerts", alerts)
	}
	// Wake the sender before releasing the callers, so a caller whose
	// Ingest has returned can rely on OnAlert having been called.
	if err == nil && alerts > 0 && p.cfg.OnAlert != nil {
		p.cfg.OnAlert()
	}
	for _, r := range batch {
		r.done <- err
	}
	return batch
}

// takeQueued appends one queued message to the batch, without waiting,
// and reports whether it did; a full batch takes none.
func (p *Pipeline) takeQueued(batch *[]*ingestReq) bool {
	if len(*batch) >= p.cfg.MaxBatch {
		return false
	}
	select {
	case r := <-p.queue:
		*batch = append(*batch, r)
		return true
	default:
		return false
	}
}

// apply stores one message inside the batch transaction. Everything it
// reads sees the writes of earlier messages in the same batch, so
// duplicates and cross-posts within one batch are caught too.
func (p *Pipeline) apply(tx *store.Tx, r *ingestReq, now time.Time, settings map[int64]store.AlertSettings) (ingestOutcome, error) {
	m := r.msg
	// A message whose sender gave up (disconnect) or whose owner deleted
	// their data while it was queued is not written: it must neither
	// outlive a disconnect nor bring a deleted owner back.
	if r.abandoned.Load() || !tx.HasOwner(r.owner) {
		return outcomeDropped, nil
	}
	added, err := tx.AddMessage(r.owner, m) // one lookup: dedupe and store
	if err != nil {
		return 0, err
	}
	if !added {
		return outcomeDuplicate, nil
	}
	if err := tx.CountMessage(r.owner, m); err != nil {
		return 0, err
	}
	if !r.res.Match {
		return outcomeStored, nil
	}
	set, ok := settings[r.owner]
	if !ok {
		set = tx.AlertSettings(r.owner)
		settings[r.owner] = set
	}
	if set.Muted(m.ChatID) {
		return outcomeStored, tx.CountHits(r.owner, r.res.Keywords)
	}
	if lead, ok := tx.RecentLeadByKey(r.owner, r.key, now.Add(-CrossPostWindow)); ok {
		ref := store.ChatRef{ChatID: m.ChatID, ChatTitle: m.ChatTitle, ChatUsername: m.ChatUsername, MsgID: m.MsgID}
		if lead.AddCrossPost(ref) {
			lead.UpdatedAt = now
			if err := tx.PutLead(r.owner, &lead, ""); err != nil {
				return 0, err
			}
		}
		return outcomeCrossPost, tx.CountHits(r.owner, r.res.Keywords)
	}
	lead := store.Lead{
		Message:   m,
		Keywords:  slices.Clone(r.res.Keywords),
		Status:    store.LeadNew,
		Relevance: -1,
		CreatedAt: now,
		UpdatedAt: now,
	}
	if err := tx.PutLead(r.owner, &lead, r.key); err != nil {
		return 0, err
	}
	if err := tx.CountLead(r.owner, lead); err != nil {
		return 0, err
	}
	due, digest := alertDue(now, set, p.location(set.TZ))
	e := store.OutboxEntry{OwnerID: r.owner, LeadID: lead.ID, Due: due, Digest: digest}
	if err := tx.Enqueue(&e); err != nil {
		return 0, err
	}
	return outcomeLead, nil
}

// location returns the zone named tz, UTC when unknown; zones are loaded
// once per pipeline.
func (p *Pipeline) location(tz string) *time.Location {
	p.mu.Lock()
	defer p.mu.Unlock()
	if loc, ok := p.zones[tz]; ok {
		return loc
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		p.log.Warn("monitor: unknown time zone; using UTC", "tz", tz)
		loc = time.UTC
	}
	p.zones[tz] = loc
	return loc
}

// Matcher returns the owner's compiled keyword and stop rules, compiled
// once and cached until the owner's store.RulesVersion changes. Stored rules
// that do not parse are skipped (and logged), so one bad rule cannot
// silence the others.
func (p *Pipeline) Matcher(ownerID int64) (*Matcher, error) {
	cm, err := p.matcher(ownerID)
	if err != nil {
		return nil, fmt.Errorf("monitor: matcher: %w", err)
	}
	return cm.m, nil
}

func (p *Pipeline) matcher(owner int64) (*cachedMatcher, error) {
	ver, err := p.store.RulesVersion(owner)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	cm := p.matchers[owner]
	p.mu.Unlock()
	if cm != nil && cm.version == ver {
		return cm, nil
	}
	// The rules are read after the version: if they change in between,
	// the cache holds newer rules under an older version and the next
	// call compiles again. Never the other way round.
	kw, err := p.validRules(owner, store.Keyword)
	if err != nil {
		return nil, err
	}
	stops, err := p.validRules(owner, store.StopWord)
	if err != nil {
		return nil, err
	}
	m, err := Compile(kw, stops)
	if err != nil {
		return nil, err
	}
	cm = &cachedMatcher{version: ver, m: m, keywords: len(kw)}
	p.mu.Lock()
	if cur := p.matchers[owner]; cur == nil || cur.version <= ver {
		p.matchers[owner] = cm
	}
	p.mu.Unlock()
	return cm, nil
}

// validRules returns the texts of the owner's rules of a kind that parse.
func (p *Pipeline) validRules(owner int64, kind store.RuleKind) ([]string, error) {
	rules, err := p.store.Rules(owner, kind)
	if err != nil {
		return nil, err
	}
	texts := make([]string, 0, len(rules))
	for _, r := range rules {
		if _, err := ParseRule(r.Text); err != nil {
			p.log.Warn("monitor: skipping invalid stored rule", "user_id", owner, "kind", kind.String(), "rule_id", r.ID, "err", err)
			continue
		}
		texts = append(texts, r.Text)
	}
	return texts, nil
}
