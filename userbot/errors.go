package userbot

import (
	"errors"
	"fmt"
	"time"

	"github.com/gotd/td/tgerr"
)

// Errors the bot translates for the owner.
var (
	ErrPhoneInvalid    = errors.New("userbot: phone number invalid")
	ErrCodeInvalid     = errors.New("userbot: login code invalid")
	ErrCodeExpired     = errors.New("userbot: login code expired, a new one was sent")
	ErrPasswordInvalid = errors.New("userbot: 2FA password invalid")
	ErrNotRegistered   = errors.New("userbot: phone number not registered")
	ErrNoPendingLogin  = errors.New("userbot: no pending login")
	ErrAccountBanned   = errors.New("userbot: account banned or deactivated")
	ErrSessionRevoked  = errors.New("userbot: session ended by Telegram, connect again")
	ErrNotConnected    = errors.New("userbot: no connected account")
	ErrAlreadyInUse    = errors.New("userbot: account already connected by another owner")
	// ErrAlreadyConnected: the owner has a connected account; Disconnect it
	// before logging in again.
	ErrAlreadyConnected = errors.New("userbot: owner already has a connected account")
	// ErrTooManyChannels: the account is in as many channels as Telegram
	// allows (500).
	ErrTooManyChannels = errors.New("userbot: account is in too many channels")
	ErrNotRunning      = errors.New("userbot: manager is not running")
)

// FloodWaitError is Telegram asking to wait longer than Config.FloodWaitCap
// before the same call.
type FloodWaitError struct {
	Wait time.Duration
	err  error
}

func (e *FloodWaitError) Error() string {
	return fmt.Sprintf("userbot: flood wait %s", e.Wait)
}

// Unwrap returns Telegram's FLOOD_WAIT error.
func (e *FloodWaitError) Unwrap() error { return e.err }

// fatalState returns the account state a Telegram error puts the account
// in, or "" when the error is not about the account itself.
func fatalState(err error) string {
	switch {
	case tgerr.Is(err, "USER_DEACTIVATED_BAN", "USER_DEACTIVATED", "PHONE_NUMBER_BANNED"):
		return StateBanned
	case tgerr.Is(err, "AUTH_KEY_UNREGISTERED", "SESSION_REVOKED", "SESSION_EXPIRED", "AUTH_KEY_INVALID", "AUTH_KEY_PERM_EMPTY"):
		return StateNeedsLogin
	}
	return ""
}

// loginError maps a Telegram error of a login call to the package's errors;
// others are returned wrapped.
func loginError(op string, err error) error {
	var fw *FloodWaitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fw):
		return fw
	case tgerr.Is(err, "PHONE_NUMBER_INVALID", "PHONE_NUMBER_UNOCCUPIED"):
		return ErrPhoneInvalid
	case tgerr.Is(err, "PHONE_CODE_INVALID", "PHONE_CODE_EMPTY"):
		return ErrCodeInvalid
	case tgerr.Is(err, "PHONE_NUMBER_BANNED", "USER_DEACTIVATED_BAN", "USER_DEACTIVATED"):
		return ErrAccountBanned
	}
	return fmt.Errorf("userbot: %s: %w", op, err)
}
