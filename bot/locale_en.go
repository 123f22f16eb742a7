package bot

// texts is one language's catalog. Every field must be filled in every
// language (TestCatalogsComplete). Fields ending in F are fmt formats.
type texts struct {
	LangName string

	// General.
	SomethingWrong string
	SlowDown       string
	Outdated       string
	NotExpected    string
	BtnBack        string
	BtnCancel      string
	BtnMainMenu    string
	BtnPrev        string
	BtnNext        string
	PageF          string
	Cancelled      string

	// Onboarding.
	ConsentF        string
	BtnAgree        string
	BtnDecline      string
	Declined        string
	AskBusiness     string
	BusinessNowF    string
	BtnSkip         string
	BusinessShortF  string
	BusinessLongF   string
	BusinessNotText string
	BusinessSaved   string
	Welcome         string

	// Main menu.
	MenuTitle       string
	MenuSummaryF    string
	BtnAccount      string
	BtnChats        string
	BtnKeywords     string
	BtnLeads        string
	BtnAnalytics    string
	BtnSubscription string
	BtnSettings     string
	BtnHelp         string

	// Screens later releases fill.
	SubscriptionSoon string

	// Keywords and stop words.
	KeywordsTitleF string
	StopTitleF     string
	KeywordsIntro  string
	StopIntro      string
	KeywordsEmpty  string
	StopEmpty      string
	TapToRemove    string
	BtnAddKeywords string
	BtnAddStop     string
	BtnStopWords   string
	BtnKeywordsTab string
	AskKeywords    string
	AskStop        string
	RuleSyntax     string
	RemovedF       string
	AlreadyGone    string
	Rules          plural
	StopWords      plural
	AddedF         string
	AddedStopF     string
	DupsF          string
	OverLimitF     string
	InvalidHead    string
	InvalidLineF   string
	NothingToAdd   string
	NotText        string
	RuleErr        map[string]string

	// Settings.
	SettingsTitleF  string
	BtnLanguage     string
	BtnMyData       string
	BtnBusiness     string
	BtnPrivacy      string
	BtnExport       string
	BtnDelete       string
	LangChanged     string
	MyDataF         string
	Days            plural
	RetentionF      string
	None            string
	Yes             string
	ExportCaptionF  string
	DeleteConfirm   string
	BtnDeleteYes    string
	Deleted         string
	PrivacyNoURL    string
	HelpText        string
	HelpContactF    string
	HelpNoContact   string
	BusinessUpdated string

	// Lead alerts and lead cards.
	AlertHeadF      string
	UnnamedChat     string
	UnknownSender   string
	AlsoIn          plural
	AlsoInShort     plural
	OpenMessage     string
	NoLink          string
	RelevanceF      string
	StatusF         string
	StatusNew       string
	StatusContacted string
	StatusNotLead   string
	ListHead        string
	DigestHead      string
	NewLeads        plural
	ListHint        string
	BtnDraft        string
	BtnContacted    string
	BtnNotLead      string
	BtnMarkNew      string
	BtnMute         string
	BtnBackToLeads  string
	LeadNotFound    string
	StatusSetF      string
	DraftSoon       string
	MutedF          string

	// Leads list.
	LeadsTitleF      string
	LeadsEmpty       string
	LeadsEmptyFilter string
	FilterAll        string
	FilterNew        string
	FilterContacted  string
	FilterNotLead    string

	// Settings → Alerts.
	BtnAlerts      string
	AlertSettingsF string
	ModeInstant    string
	ModeDigestF    string
	QuietOff       string
	BtnInstant     string
	BtnDigest15    string
	BtnDigest60    string
	BtnQuietOff    string
	BtnTimeZoneF   string
	BtnRelevanceF  string
	BtnUnmuteF     string
	BtnMoreZones   string
	PickTimeZone   string
	Saved          string
	Unmuted        string

	// Analytics.
	StatsTitle    string
	StatsTotalsF  string
	StatsChats    string
	StatsNoChats  string
	StatsRules    string
	StatsNoRules  string
	StatsDays     string
	ColChat       string
	ColMessages   string
	ColLeads      string
	ColRate       string
	ColLast       string
	ColRule       string
	ColHits       string
	ColNotLead    string
	ColContacted  string
	ColDay        string
	BtnChart      string
	ChartTitle    string
	ChartMessages string
	ChartLeads    string

	// Test my keywords.
	BtnTestRules    string
	TestUnavailable string
	TestTitle       string
	TestNoMessages  string
	TestScanned     plural
	TestMatched     plural
	TestStopped     plural
	TestExamples    string
	TestNoneMatched string
}

var enTexts = texts{
	LangName: "English",

	SomethingWrong: "⚠️ Something went wrong on our side. Please try again in a moment; if it keeps happening, contact support (see Help).",
	SlowDown:       "⏳ That was a lot of requests at once. Please wait a few seconds and try again.",
	Outdated:       "This menu is out of date. Here is a fresh one.",
	NotExpected:    "I was not expecting a message right now. Use the menu below.",
	BtnBack:        "⬅️ Back",
	BtnCancel:      "✖️ Cancel",
	BtnMainMenu:    "🏠 Main menu",
	BtnPrev:        "◀️ Previous",
	BtnNext:        "Next ▶️",
	PageF:          "Page %d of %d",
	Cancelled:      "Cancelled.",

	ConsentF: "<b>What LeadGenRunner does</b>\n\n" +
		"You connect your own Telegram account and pick the groups and channels to watch. " +
		"We read new messages only in the chats you pick, find the ones that match your keywords and send them to you here as leads. " +
		"An AI can rate leads and draft replies; nothing is ever sent from your account unless you tap Send.\n\n" +
		"<b>Your data</b>\n" +
		"• Your Telegram session is encrypted at rest; your 2FA password is never stored.\n" +
		"• We store messages only from the chats you selected.\n" +
		"• Disconnecting your account stops collection at once.\n" +
		"• You can export or delete everything at any time in Settings.\n\n" +
		"Privacy policy: %s\n\n" +
		"Do you agree to this?",
	BtnAgree:        "✅ I agree",
	BtnDecline:      "Not now",
	Declined:        "No problem. We keep only your Telegram ID and language choice until you come back; Settings → Delete my data removes even that. Send /start whenever you want to continue.",
	AskBusiness:     "Tell me about your business in a sentence or two: what you offer and to whom. The AI uses it to suggest keywords and draft replies.\n\nExample: <i>Web studio: landing pages and online shops for small businesses.</i>",
	BusinessNowF:    "Your current description:\n<i>%s</i>\n\nSend a new one, or tap Cancel.",
	BtnSkip:         "Skip for now",
	BusinessShortF:  "That is a bit short. Please describe your business in at least %d characters.",
	BusinessLongF:   "That is too long. Please keep it under %d characters.",
	BusinessNotText: "Please send the description as a text message.",
	BusinessSaved:   "✅ Saved.",
	Welcome:         "🎉 You are all set. Start by adding keywords; connecting your Telegram account and picking chats come next.",

	MenuTitle:       "<b>Main menu</b>",
	MenuSummaryF:    "🔑 %s · 🚫 %s",
	BtnAccount:      "👤 Account",
	BtnChats:        "💬 Chats",
	BtnKeywords:     "🔑 Keywords",
	BtnLeads:        "🎯 Leads",
	BtnAnalytics:    "📊 Analytics",
	BtnSubscription: "💳 Subscription",
	BtnSettings:     "⚙️ Settings",
	BtnHelp:         "❓ Help",

	SubscriptionSoon: "<b>Subscription</b>\n\n🚧 Paid plans are being set up. For now everything available is free and nothing is charged.",

	KeywordsTitleF: "<b>Keywords</b> (%d of %d)",
	StopTitleF:     "<b>Stop words</b> (%d of %d)",
	KeywordsIntro:  "A message becomes a lead when it matches one of these.",
	StopIntro:      "A message that matches a stop word is never a lead, even if a keyword matches.",
	KeywordsEmpty:  "You have no keywords yet. Tap “Add keywords”.",
	StopEmpty:      "You have no stop words yet. Add words like “vacancy” or “resume” to skip job posts.",
	TapToRemove:    "Tap a rule to remove it.",
	BtnAddKeywords: "➕ Add keywords",
	BtnAddStop:     "➕ Add stop words",
	BtnStopWords:   "🚫 Stop words",
	BtnKeywordsTab: "🔑 Keywords",
	AskKeywords:    "Send keywords, one per line or separated by commas.",
	AskStop:        "Send stop words, one per line or separated by commas.",
	RuleSyntax: "<b>How rules work</b>\n" +
		"• <code>designer</code> — any form of the word (designers, Designer's)\n" +
		"• <code>landing page</code> — these words in this order\n" +
		"• <code>\"1c\"</code> — exactly this text, no other word forms\n" +
		"• <code>develop*</code> — any word starting with it\n" +
		"• <code>need + designer</code> — all parts anywhere in the message",
	RemovedF:     "Removed: %s",
	AlreadyGone:  "That rule was already removed.",
	Rules:        plural{One: "%d keyword", Many: "%d keywords"},
	StopWords:    plural{One: "%d stop word", Many: "%d stop words"},
	AddedF:       "✅ Added %s.",
	AddedStopF:   "✅ Added %s.",
	DupsF:        "Already in your list: %s",
	OverLimitF:   "Not added, your limit of %d is reached: %s",
	InvalidHead:  "Not added, please fix and send again:",
	InvalidLineF: "• <code>%s</code>: %s",
	NothingToAdd: "I did not find any rules in that message. Send one rule per line or separate them with commas.",
	NotText:      "Please send the rules as a text message.",
	RuleErr: map[string]string{
		"empty":            "the rule is empty",
		"too_long":         "the rule is too long (at most 100 characters)",
		"unbalanced_quote": "a quote is opened but not closed",
		"empty_part":       "one side of “+” is empty",
		"prefix_words":     "“*” works only at the end of a single word, like develop*",
		"no_words":         "the rule has no letters or digits",
		"too_many_parts":   "too many parts joined with “+” (at most 5)",
		"quote_placement":  "quotes must wrap a whole part, like \"1c\" + accounting",
		"":                 "the rule cannot be read",
	},

	SettingsTitleF:  "<b>Settings</b>\n\nLanguage: %s",
	BtnLanguage:     "🌐 Русский",
	BtnMyData:       "🗂 What we store",
	BtnBusiness:     "✏️ Business description",
	BtnPrivacy:      "🔒 Privacy policy",
	BtnExport:       "📤 Export my data",
	BtnDelete:       "🗑 Delete my data",
	LangChanged:     "Language: English",
	Days:            plural{One: "%d day", Many: "%d days"},
	RetentionF:      "Messages are kept for %s, then deleted automatically; a message that became a lead stays with the lead.",
	MyDataF:         "<b>What we store about you</b>\n\n• Telegram ID: <code>%d</code>\n• Language: %s\n• Consent given: %s\n• Business description: %s\n• %s, %s\n• Connected Telegram account: %s\n• Monitored chats: %d\n• Stored messages (from those chats only): %d\n• Leads: %d\n• Payments: none\n\nExport or delete all of it here in Settings.",
	None:            "none",
	Yes:             "yes",
	ExportCaptionF:  "Everything we store about you, as of %s.",
	DeleteConfirm:   "<b>Delete all your data?</b>\n\nThis removes your profile, keywords, stop words and everything else right away. It cannot be undone.",
	BtnDeleteYes:    "🗑 Yes, delete everything",
	Deleted:         "All your data has been deleted. Send /start if you want to begin again.",
	PrivacyNoURL:    "The privacy policy of this service; open the file to read it.",
	BusinessUpdated: "✅ Business description updated.",
	HelpText: "<b>Help</b>\n\n" +
		"LeadGenRunner watches the Telegram chats you choose and sends you messages that match your keywords as leads.\n\n" +
		"1. Add keywords (and stop words to skip job posts or spam).\n" +
		"2. Connect your Telegram account (Account) and pick the chats to watch (Chats).\n" +
		"3. Get leads here and reply from your own account.\n\n" +
		"Commands: /start — main menu, /help — this page.",
	HelpContactF:  "Questions or data requests: %s",
	HelpNoContact: "Questions or data requests: write to the operator of this bot.",

	AlertHeadF:      "🎯 <b>New lead</b> · %s",
	UnnamedChat:     "untitled chat",
	UnknownSender:   "unknown sender",
	AlsoIn:          plural{One: "Also in %d more chat: %s", Many: "Also in %d more chats: %s"},
	AlsoInShort:     plural{One: "also in %d more chat", Many: "also in %d more chats"},
	OpenMessage:     "Open the message",
	NoLink:          "This chat has no message links; find the message in the chat.",
	RelevanceF:      "⭐ Relevance: %d/100",
	StatusF:         "Status: %s",
	StatusNew:       "🆕 new",
	StatusContacted: "✅ contacted",
	StatusNotLead:   "🚫 not a lead",
	ListHead:        "🎯 <b>%s</b> while alerts were held",
	DigestHead:      "🗞 <b>Digest: %s</b>",
	NewLeads:        plural{One: "%d new lead", Many: "%d new leads"},
	ListHint:        "Tap a number to open the lead and mark it.",
	BtnDraft:        "✍️ Draft reply",
	BtnContacted:    "✅ Contacted",
	BtnNotLead:      "🚫 Not a lead",
	BtnMarkNew:      "↩️ Mark as new",
	BtnMute:         "🔕 Mute this chat",
	BtnBackToLeads:  "⬅️ Back to leads",
	LeadNotFound:    "This lead was not found. It may have been deleted.",
	StatusSetF:      "Status: %s",
	DraftSoon:       "AI reply drafting is being set up and is not available yet. For now, open the message with the link in the alert and reply in the chat yourself.",
	MutedF:          "🔕 Muted “%s”: no more alerts from it. Unmute in Settings → Alerts.",

	LeadsTitleF:      "<b>Leads</b> · %s: %d",
	LeadsEmpty:       "No leads yet. They appear here when a message in a watched chat matches your keywords.",
	LeadsEmptyFilter: "No leads with this status.",
	FilterAll:        "All",
	FilterNew:        "🆕 New",
	FilterContacted:  "✅ Contacted",
	FilterNotLead:    "🚫 Not a lead",

	BtnAlerts:      "🔔 Alerts",
	AlertSettingsF: "<b>Alerts</b>\n\n• Delivery: %s\n• Quiet hours: %s\n• Time zone: %s (now %s)\n• Minimum relevance: %d (applies once the AI rates leads)\n• Muted chats: %d\n\nDuring quiet hours alerts wait and arrive together when they end. A digest lists the new leads together, in as few messages as possible.",
	ModeInstant:    "instant, each lead as it comes",
	ModeDigestF:    "digest every %d min",
	QuietOff:       "off",
	BtnInstant:     "⚡ Instant",
	BtnDigest15:    "🗞 Every 15 min",
	BtnDigest60:    "🗞 Every hour",
	BtnQuietOff:    "☀️ No quiet hours",
	BtnTimeZoneF:   "🌍 Time zone: %s",
	BtnRelevanceF:  "⭐ ≥ %d",
	BtnUnmuteF:     "🔔 Unmute %s",
	BtnMoreZones:   "UTC offsets ▶️",
	PickTimeZone:   "<b>Time zone</b>\n\nQuiet hours and the times in alerts follow it.",
	Saved:          "✅ Saved.",
	Unmuted:        "🔔 Alerts from this chat are back on.",

	StatsTitle:    "<b>Analytics</b> · last 30 days",
	StatsTotalsF:  "Messages seen: %d · leads: %d · lead rate: %s",
	StatsChats:    "Chats",
	StatsNoChats:  "No messages seen yet.\n",
	StatsRules:    "Keyword rules",
	StatsNoRules:  "No keyword has fired yet.\n",
	StatsDays:     "Per day",
	ColChat:       "Chat",
	ColMessages:   "Msgs",
	ColLeads:      "Leads",
	ColRate:       "Rate",
	ColLast:       "Last",
	ColRule:       "Rule",
	ColHits:       "Hits",
	ColNotLead:    "NotLd",
	ColContacted:  "Cont.",
	ColDay:        "Day",
	BtnChart:      "📈 Chart",
	ChartTitle:    "Leads and messages per day, last 30 days",
	ChartMessages: "Messages",
	ChartLeads:    "Leads",

	BtnTestRules:    "🧪 Test my keywords",
	TestUnavailable: "<b>Test my keywords</b>\n\nTesting is not available right now. Please try again later.",
	TestTitle:       "<b>Test my keywords</b> on your latest stored messages",
	TestNoMessages:  "There are no stored messages to test on yet. Messages are stored once your account is connected and chats are picked.",
	TestScanned:     plural{One: "📨 Checked %d message", Many: "📨 Checked %d messages"},
	TestMatched:     plural{One: "🎯 %d message would have become a lead", Many: "🎯 %d messages would have become leads"},
	TestStopped:     plural{One: "🚫 %d message was vetoed by a stop word", Many: "🚫 %d messages were vetoed by stop words"},
	TestExamples:    "Examples",
	TestNoneMatched: "None of them matched. Try broader keywords, a prefix like develop*, or check the stop words.",
}
