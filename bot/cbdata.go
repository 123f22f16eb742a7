package bot

import (
	"errors"
	"strconv"
	"strings"
)

// Callback data codec.
//
// Every inline button carries "<version>.<action>[.<arg>]..." where version is
// cbVersion, action is a short lowercase token naming a handler, and each arg is
// a base-36 int64. The bot does not use telebot's "\f<unique>|" routing, so the
// encoded string is the whole callback_data and Telegram's 64-byte limit applies
// to it alone. With an action of at most maxActLen bytes and at most maxArgs
// args (13 base-36 digits and a sign each), the longest encoding is 2+8+3*15 =
// 55 bytes, so encoding cannot exceed the limit.
//
// Callback data is untrusted: decode validates shape only, and handlers look
// everything up from the presser's own records.

const (
	cbVersion   = "1"
	maxCBLen    = 64
	maxActLen   = 8
	maxArgs     = 3
	cbSeparator = "."
)

// errBadCallback is returned for data that is not ours, from an older version,
// or malformed.
var errBadCallback = errors.New("bot: malformed callback data")

// cb is one decoded callback.
type cb struct {
	Act  string
	Args []int64
}

// arg returns the i-th argument or 0 when absent.
func (c cb) arg(i int) int64 {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return 0
}

// encodeCB encodes act and args. It panics on a programming error (an action
// that is too long or has bad characters, or too many args): actions are
// constants in this package and tests exercise every one.
func encodeCB(act string, args ...int64) string {
	if !validAct(act) || len(args) > maxArgs {
		panic("bot: bad callback action " + strconv.Quote(act))
	}
	var b strings.Builder
	b.Grow(maxCBLen)
	b.WriteString(cbVersion)
	b.WriteString(cbSeparator)
	b.WriteString(act)
	for _, a := range args {
		b.WriteString(cbSeparator)
		b.WriteString(strconv.FormatInt(a, 36))
	}
	return b.String()
}

// decodeCB parses data produced by encodeCB.
func decodeCB(data string) (cb, error) {
	if len(data) > maxCBLen {
		return cb{}, errBadCallback
	}
	parts := strings.Split(data, cbSeparator)
	if len(parts) < 2 || len(parts) > 2+maxArgs || parts[0] != cbVersion || !validAct(parts[1]) {
		return cb{}, errBadCallback
	}
	out := cb{Act: parts[1]}
	for _, p := range parts[2:] {
		if p == "" || p == "-" || p == "+" || strings.HasPrefix(p, "+") {
			return cb{}, errBadCallback
		}
		n, err := strconv.ParseInt(p, 36, 64)
		if err != nil {
			return cb{}, errBadCallback
		}
		out.Args = append(out.Args, n)
	}
	return out, nil
}

func validAct(act string) bool {
	if act == "" || len(act) > maxActLen {
		return false
	}
	for i := 0; i < len(act); i++ {
		if c := act[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
