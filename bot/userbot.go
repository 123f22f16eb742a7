package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Userbot is what the bot needs from the owners' MTProto clients. It is
// declared here, where it is used; app adapts *userbot.Manager to it, so bot
// never imports gotd. A nil Userbot in Config leaves the Account and Chats
// screens saying that connecting is not available on this instance.
type Userbot interface {
	// StartLogin asks Telegram to send a login code to phone.
	StartLogin(ctx context.Context, ownerID int64, phone string) (LoginCode, error)
	// ResendCode asks for the code again (SMS or call when Telegram offers it).
	ResendCode(ctx context.Context, ownerID int64) (LoginCode, error)
	// SubmitCode signs in with the code; needPassword reports a 2FA account.
	SubmitCode(ctx context.Context, ownerID int64, code string) (needPassword bool, err error)
	// SubmitPassword finishes a 2FA login. The password is never stored.
	SubmitPassword(ctx context.Context, ownerID int64, password string) error
	// QRLogin runs a QR login: show is called with each token URL (again on
	// every refresh) until the owner scans one or ctx ends.
	QRLogin(ctx context.Context, ownerID int64, show func(url string, expires time.Time) error) (needPassword bool, err error)
	// CancelLogin drops a pending login, if any.
	CancelLogin(ownerID int64)
	// Account reports the owner's connected account; ok is false when none.
	Account(ownerID int64) (a Account, ok bool)
	// Dialogs lists the account's groups, supergroups and channels.
	Dialogs(ctx context.Context, ownerID int64) ([]Dialog, error)
	// SelectedChats lists the chats the owner monitors.
	SelectedChats(ownerID int64) ([]Dialog, error)
	// SetSelected starts or stops monitoring one chat.
	SetSelected(ctx context.Context, ownerID int64, d Dialog, selected bool) error
	// Disconnect logs the account out at Telegram, deletes its session and
	// stops collection at once.
	Disconnect(ctx context.Context, ownerID int64) error
}

// LoginCode describes a code Telegram sent.
type LoginCode struct {
	Length int    // digits, 0 when unknown
	Via    string // "app", "sms", "call" or "" when unknown
}

// Account states.
const (
	StateConnected    = "connected"
	StateReconnecting = "reconnecting"
	StateNeedsLogin   = "needs_login"
	StateBanned       = "banned"
)

// Account is an owner's connected Telegram account as the Account screen
// shows it.
type Account struct {
	Phone          string // full number; shown masked
	Username, Name string
	State          string
	ChatsMonitored int
	ChannelsJoined int
	LastMessage    time.Time
}

// Dialog is a group, supergroup or channel of the owner's account.
type Dialog struct {
	ID         int64
	AccessHash int64
	Title      string
	Type       string // "group", "supergroup" or "channel"
	Username   string
	Members    int
}

// Errors a Userbot returns that the bot explains to the owner.
var (
	ErrPhoneInvalid    = errors.New("userbot: phone number invalid")
	ErrCodeInvalid     = errors.New("userbot: login code invalid")
	ErrCodeExpired     = errors.New("userbot: login code expired, a new one was sent")
	ErrPasswordInvalid = errors.New("userbot: 2FA password invalid")
	ErrNotRegistered   = errors.New("userbot: phone number not registered")
	ErrNoLogin         = errors.New("userbot: no pending login")
	ErrBanned          = errors.New("userbot: account banned or deactivated")
	ErrNotConnected    = errors.New("userbot: no connected account")
	ErrQRExpired       = errors.New("userbot: QR login timed out")
	// ErrAlreadyConnected: the owner has an account; disconnect it first.
	ErrAlreadyConnected = errors.New("userbot: owner already has a connected account")
	// ErrAccountInUse: another owner connected this Telegram account.
	ErrAccountInUse = errors.New("userbot: account connected by another owner")
)

// FloodWaitError is Telegram asking to wait before trying again.
type FloodWaitError struct{ Wait time.Duration }

func (e *FloodWaitError) Error() string {
	return fmt.Sprintf("userbot: flood wait %s", e.Wait)
}
