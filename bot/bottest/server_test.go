package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// apiAnswer is a decoded Bot API answer.
type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts body with contentType to method and decodes the answer.
func call(t *testing.T, s *Server, method, contentType string, body io.Reader) apiAnswer {
	t.Helper()
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/"+method, contentType, body)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var a apiAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("%s: decode answer: %v", method, err)
	}
	if !a.OK && resp.StatusCode != a.ErrorCode {
		t.Errorf("%s: HTTP status %d, error_code %d; want them equal", method, resp.StatusCode, a.ErrorCode)
	}
	return a
}

func callJSON(t *testing.T, s *Server, method string, params any) apiAnswer {
	t.Helper()
	body, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	return call(t, s, method, "application/json", bytes.NewReader(body))
}

func updateIDs(t *testing.T, a apiAnswer) []int {
	t.Helper()
	var ups []wireUpdate
	if err := json.Unmarshal(a.Result, &ups); err != nil {
		t.Fatalf("getUpdates result %s: %v", a.Result, err)
	}
	ids := []int{}
	for _, u := range ups {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

func TestGetUpdatesOffset(t *testing.T) {
	s := NewT(t)
	s.SendText(ann, "/start")
	s.SendText(ann, "hello")

	a := call(t, s, "getUpdates", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"offset": {"0"}, "timeout": {"0"}}.Encode()))
	if got := updateIDs(t, a); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("update ids = %v; want [1 2]", got)
	}
	var ups []wireUpdate
	json.Unmarshal(a.Result, &ups)
	if m := ups[0].Message; m == nil || m.Text != "/start" || m.From.ID != ann.ID || m.Chat.ID != ann.ID ||
		len(m.Entities) != 1 || m.Entities[0].Type != "bot_command" || m.Entities[0].Length != 6 {
		t.Errorf("first update = %+v; want Ann's /start with a bot_command entity", ups[0].Message)
	}

	// The same offset returns them again; a later one confirms them.
	if got := updateIDs(t, callJSON(t, s, "getUpdates", map[string]any{"offset": 1, "timeout": 0, "limit": 1})); len(got) != 1 || got[0] != 1 {
		t.Errorf("limit 1 update ids = %v; want [1]", got)
	}
	if got := updateIDs(t, callJSON(t, s, "getUpdates", map[string]string{"offset": "3", "timeout": "0"})); len(got) != 0 {
		t.Errorf("after confirming update ids = %v; want none", got)
	}
	s.SendText(ann, "again")
	if got := updateIDs(t, callJSON(t, s, "getUpdates", map[string]string{"offset": "0", "timeout": "0"})); len(got) != 1 || got[0] != 3 {
		t.Errorf("update ids = %v; want [3]", got)
	}
}

func TestGetUpdatesWakesOnUpdate(t *testing.T) {
	s := NewT(t)
	got := make(chan []int, 1)
	go func() {
		got <- updateIDs(t, callJSON(t, s, "getUpdates", map[string]string{"timeout": "30"}))
	}()
	s.waitCalls(t, "getUpdates", 1)
	s.SendText(ann, "hi")
	select {
	case ids := <-got:
		if len(ids) != 1 {
			t.Errorf("update ids = %v; want one update", ids)
		}
	case <-time.After(wait):
		t.Fatal("long poll did not return after an update arrived")
	}
}

func TestGetUpdatesReturnsOnClose(t *testing.T) {
	s := New()
	got := make(chan apiAnswer, 1)
	go func() {
		got <- callJSON(t, s, "getUpdates", map[string]string{"timeout": "30"})
	}()
	s.waitCalls(t, "getUpdates", 1)
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case a := <-got:
		if !a.OK || string(a.Result) != "[]" {
			t.Errorf("getUpdates on close = %+v; want ok with no updates", a)
		}
	case <-time.After(wait):
		t.Fatal("long poll still waiting after Close")
	}
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatal("Close did not return")
	}
	s.Close() // a second Close is harmless
	if _, err := s.WaitFor(ann.ID, time.Minute, func(Message) bool { return true }); !errors.Is(err, ErrClosed) {
		t.Errorf("WaitFor after Close = %v; want ErrClosed", err)
	}
}

// waitCalls waits until method was called n times.
func (s *Server) waitCalls(t *testing.T, method string, n int) {
	t.Helper()
	err := s.waitUntil(context.Background(), wait, func() bool {
		return len(s.Calls(method)) >= n
	})
	if err != nil {
		t.Fatalf("waiting for %d %s calls: %v", n, method, err)
	}
}

func TestRequestEncodings(t *testing.T) {
	s := NewT(t)
	markup := `{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}`

	callJSON(t, s, "sendMessage", map[string]any{"chat_id": 7, "text": "json", "reply_markup": json.RawMessage(markup), "disable_notification": true})
	call(t, s, "sendMessage", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"chat_id": {"7"}, "text": {"form"}, "reply_markup": {markup}}.Encode()))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("chat_id", "7")
	mw.WriteField("caption", "multi")
	fw, _ := mw.CreateFormFile("photo", "")
	fw.Write([]byte("PNG"))
	mw.Close()
	if a := call(t, s, "sendPhoto", mw.FormDataContentType(), &body); !a.OK {
		t.Fatalf("multipart sendPhoto: %+v", a)
	}
	resp, err := http.Get(s.URL() + "/bot" + s.Token() + "/sendMessage?chat_id=7&text=query")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	tr := s.Transcript(7)
	if len(tr) != 4 {
		t.Fatalf("transcript = %v; want 4 messages", tr)
	}
	for i, want := range []string{"json", "form", "", "query"} {
		if tr[i].Text != want || tr[i].ID != i+1 {
			t.Errorf("message %d = %v; want #%d %q", i, tr[i], i+1, want)
		}
	}
	if tr[0].Inline[0][0] != (Button{Text: "Go", Data: "go"}) || tr[1].Inline[0][0] != tr[0].Inline[0][0] {
		t.Errorf("keyboards = %v, %v; want [Go] on both", tr[0].Inline, tr[1].Inline)
	}
	if tr[2].Photo == nil || string(tr[2].Photo.Data) != "PNG" || tr[2].Caption != "multi" {
		t.Errorf("photo message = %v; want the PNG bytes and caption", tr[2])
	}
	if p := s.Calls("sendMessage")[0].Params; p["disable_notification"] != "true" || p["chat_id"] != "7" || p["reply_markup"] != markup {
		t.Errorf("JSON params = %q; want non-string values as JSON text", p)
	}
}

func TestBadRequests(t *testing.T) {
	s := NewT(t)
	tests := []struct {
		name   string
		method string
		params map[string]string
		code   int
		desc   string
	}{
		{"no chat", "sendMessage", map[string]string{"text": "x"}, 400, "Bad Request: chat_id is empty"},
		{"empty text", "sendMessage", map[string]string{"chat_id": "1", "text": " "}, 400, "Bad Request: message text is empty"},
		{"bad markup", "sendMessage", map[string]string{"chat_id": "1", "text": "x", "reply_markup": "{"}, 400, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"no document", "sendDocument", map[string]string{"chat_id": "1"}, 400, "Bad Request: there is no document in the request"},
		{"unknown callback", "answerCallbackQuery", map[string]string{"callback_query_id": "1"}, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"},
		{"unknown method", "sendDice", nil, 404, "Not Found: method not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := callJSON(t, s, tt.method, tt.params)
			if a.OK || a.ErrorCode != tt.code || a.Description != tt.desc {
				t.Errorf("got %d %q; want %d %q", a.ErrorCode, a.Description, tt.code, tt.desc)
			}
		})
	}

	resp, err := http.Get(s.URL() + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /nothing = %d; want 404", resp.StatusCode)
	}
}

func TestFloodAnswerShape(t *testing.T) {
	s := NewT(t)
	s.Fail("getMe", 1, 429, 7)
	a := callJSON(t, s, "getMe", nil)
	if a.OK || a.ErrorCode != 429 || a.Description != "Too Many Requests: retry after 7" || a.Parameters.RetryAfter != 7 {
		t.Errorf("got %+v; want 429 with retry_after 7", a)
	}
	if a := callJSON(t, s, "getMe", nil); !a.OK {
		t.Errorf("second getMe = %+v; want ok", a)
	}
}

func TestWaitForTimeoutShowsTranscript(t *testing.T) {
	s := NewT(t)
	s.SendText(ann, "/start")
	callJSON(t, s, "sendMessage", map[string]any{"chat_id": ann.ID, "text": "Menu",
		"reply_markup": `{"inline_keyboard":[[{"text":"A","callback_data":"a"},{"text":"Site","url":"https://x.example"}]]}`})
	_, err := s.WaitFor(ann.ID, 50*time.Millisecond, func(m Message) bool { return m.Text == "Other" })
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("WaitFor = %v; want ErrTimeout", err)
	}
	for _, want := range []string{`#1 user: "/start"`, `#2 bot: "Menu"`, `[A] [Site -> https://x.example]`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestMessageString(t *testing.T) {
	m := Message{
		ID: 3, FromBot: true, Text: "<b>Hi</b>", ParseMode: "HTML", Edits: 2, Deleted: true,
		Inline:   [][]Button{{{Text: "A", Data: "a"}, {Text: "B", Data: "b"}}},
		Reply:    [][]ReplyButton{{{Text: "Phone", RequestContact: true}}},
		Document: &File{Name: "a.csv", Data: []byte("123")},
		Caption:  "cap",
	}
	want := `#3 bot: "<b>Hi</b>" (HTML, edited 2x, deleted)
    [A] [B]
    keyboard: [Phone (contact)]
    document: "a.csv", 3 bytes
    caption: "cap"`
	if got := m.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestTranscriptIsACopy(t *testing.T) {
	s := NewT(t)
	callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x",
		"reply_markup": `{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}`})
	tr := s.Transcript(1)
	tr[0].Inline[0][0].Text = "changed"
	if m, _ := s.Last(1); m.Inline[0][0].Text != "A" {
		t.Errorf("changing a Transcript copy changed the server's message: %v", m)
	}
}

func FuzzDecodeJSONParams(f *testing.F) {
	f.Add([]byte(`{"chat_id":"1","text":"x","show_alert":true,"commands":[{"command":"a"}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"a":null,"b":1.5e3}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		params := map[string]string{}
		if err := decodeJSONParams(body, params); err != nil || len(params) == 0 {
			return
		}
		// Every parameter decodes back to the value it came from.
		var orig map[string]any
		if err := json.Unmarshal(body, &orig); err != nil {
			t.Fatalf("decodeJSONParams accepted %q, json.Unmarshal did not: %v", body, err)
		}
		for k, v := range params {
			want, ok := orig[k]
			if !ok {
				t.Fatalf("param %q not in %q", k, body)
			}
			if str, isStr := want.(string); isStr {
				if v != str {
					t.Fatalf("param %q = %q; want %q", k, v, str)
				}
				continue
			}
			var got any
			if err := json.Unmarshal([]byte(v), &got); err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("param %q = %q; want JSON of %v", k, v, want)
			}
		}
	})
}
