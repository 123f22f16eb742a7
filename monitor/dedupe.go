package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// CrossPostWindow is how long the same text from the same sender stays one
// lead: a repost in another chat within it is listed in the lead's AlsoIn
// instead of alerting again.
const CrossPostWindow = 24 * time.Hour

// DedupeKey is the cross-post identity of a message: its sender and its
// text as the matcher sees it (normalized words joined by one space), so
// case, punctuation, spacing and Unicode forms do not make two posts
// different. The result is hex SHA-256.
func DedupeKey(senderID int64, text string) string {
	return dedupeKeyWords(senderID, Analyze(text).Words())
}

func dedupeKeyWords(senderID int64, words []string) string {
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(senderID, 10)))
	h.Write([]byte{0})
	h.Write([]byte(strings.Join(words, " ")))
	return hex.EncodeToString(h.Sum(nil))
}
