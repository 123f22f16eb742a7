package userbot

import (
	"errors"
	"testing"
	"time"
)

func TestBudgets(t *testing.T) {
	b := newBudgets(Budget{N: 2, Per: time.Hour}, Budget{N: 1, Per: 24 * time.Hour}, Budget{})
	t0 := time.Unix(1_800_000_000, 0)
	for i := 0; i < 2; i++ {
		if err := b.take(1, BudgetSend, t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	err := b.take(1, BudgetSend, t0.Add(10*time.Minute))
	var be *BudgetError
	if !errors.As(err, &be) || be.Kind != BudgetSend || be.RetryAfter != 50*time.Minute {
		t.Fatalf("third send: %v; want a send BudgetError with 50m to wait", err)
	}
	if err := b.take(2, BudgetSend, t0); err != nil {
		t.Errorf("another owner's budget was spent: %v", err)
	}
	if err := b.take(1, BudgetSend, t0.Add(time.Hour)); err != nil {
		t.Errorf("after the window: %v", err)
	}
	if err := b.take(1, BudgetJoin, t0); err != nil {
		t.Fatal(err)
	}
	if err := b.take(1, BudgetJoin, t0.Add(23*time.Hour)); err == nil {
		t.Error("second join within a day allowed")
	}
	for i := 0; i < 100; i++ {
		if err := b.take(1, BudgetSearch, t0); err != nil {
			t.Fatalf("zero budget means unlimited, got %v", err)
		}
	}
	b.forget(1)
	if err := b.take(1, BudgetJoin, t0.Add(23*time.Hour)); err != nil {
		t.Errorf("after forget: %v", err)
	}
}
