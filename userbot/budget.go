package userbot

import (
	"fmt"
	"sync"
	"time"
)

// Budget caps one kind of active call (sending, joining, searching) per
// account: at most N calls in any window of length Per. Userbots must stay
// passive; a budget keeps a bug or an eager owner from getting the account
// limited or banned by Telegram.
type Budget struct {
	N   int
	Per time.Duration
}

// Default budgets, well under what Telegram tolerates from ordinary users.
var (
	DefaultSendBudget   = Budget{N: 30, Per: time.Hour}
	DefaultJoinBudget   = Budget{N: 20, Per: 24 * time.Hour}
	DefaultSearchBudget = Budget{N: 30, Per: time.Hour}
)

// Budget kinds, as BudgetError.Kind reports them.
const (
	BudgetSend   = "send"
	BudgetJoin   = "join"
	BudgetSearch = "search"
)

// BudgetError means the account used up a budget; RetryAfter says when the
// next call of that kind is allowed.
type BudgetError struct {
	Kind       string
	RetryAfter time.Duration
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("userbot: %s budget used up, next in %s", e.Kind, e.RetryAfter.Round(time.Second))
}

// budgets tracks the recent calls of each owner's account per kind. It is
// kept in memory: after a restart an account starts with a full budget,
// which is at most one extra window's worth of calls.
type budgets struct {
	mu     sync.Mutex
	limits map[string]Budget
	calls  map[int64]map[string][]time.Time // owner -> kind -> call times, oldest first
}

func newBudgets(send, join, search Budget) *budgets {
	return &budgets{
		limits: map[string]Budget{BudgetSend: send, BudgetJoin: join, BudgetSearch: search},
		calls:  map[int64]map[string][]time.Time{},
	}
}

// take records a call of kind by owner at now, or returns a *BudgetError.
func (b *budgets) take(owner int64, kind string, now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	lim := b.limits[kind]
	if lim.N <= 0 {
		return nil
	}
	byKind := b.calls[owner]
	if byKind == nil {
		byKind = map[string][]time.Time{}
		b.calls[owner] = byKind
	}
	recent := byKind[kind]
	cut := 0
	for cut < len(recent) && now.Sub(recent[cut]) >= lim.Per {
		cut++
	}
	recent = recent[cut:]
	if len(recent) >= lim.N {
		byKind[kind] = recent
		return &BudgetError{Kind: kind, RetryAfter: lim.Per - now.Sub(recent[0])}
	}
	byKind[kind] = append(recent, now)
	return nil
}

// forget drops an owner's history (on disconnect).
func (b *budgets) forget(owner int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.calls, owner)
}
