package userbot

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// floodWait waits out FLOOD_WAIT_X and retries the call while the total
// wait stays within limit; beyond it the call fails with *FloodWaitError.
func floodWait(limit time.Duration) telegram.Middleware {
	return telegram.MiddlewareFunc(func(next tg.Invoker) telegram.InvokeFunc {
		return func(ctx context.Context, in bin.Encoder, out bin.Decoder) error {
			var waited time.Duration
			for {
				err := next.Invoke(ctx, in, out)
				d, ok := tgerr.AsFloodWait(err)
				if !ok {
					return err
				}
				if d <= 0 {
					d = time.Second
				}
				if waited+d > limit {
					return &FloodWaitError{Wait: d, err: err}
				}
				t := time.NewTimer(d)
				select {
				case <-ctx.Done():
					t.Stop()
					return fmt.Errorf("userbot: flood wait: %w", ctx.Err())
				case <-t.C:
				}
				waited += d
			}
		}
	})
}

// watchAuth reports every error that ends the account (see fatalState) to
// onFatal, which must not block.
func watchAuth(onFatal func(state string, err error)) telegram.Middleware {
	return telegram.MiddlewareFunc(func(next tg.Invoker) telegram.InvokeFunc {
		return func(ctx context.Context, in bin.Encoder, out bin.Decoder) error {
			err := next.Invoke(ctx, in, out)
			if st := fatalState(err); st != "" {
				onFatal(st, err)
			}
			return err
		}
	})
}
