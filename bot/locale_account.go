package bot

// accountTexts is the catalog of the Account and Chats screens. Like texts,
// every field must be filled in every language (TestCatalogsComplete).
type accountTexts struct {
	NotAvailable     string
	NoAccount        string
	BtnConnectPhone  string
	BtnConnectQR     string
	AccountF         string
	StateNames       map[string]string
	Never            string
	BtnDisconnect    string
	BtnReconnect     string
	BtnPickChats     string
	AskPhone         string
	BtnSharePhone    string
	BtnCancelReply   string
	NotOwnContact    string
	BadPhone         string
	SendingCodeF     string
	KeypadF          string
	CodeVia          map[string]string
	BtnResend        string
	BtnSubmit        string
	CodeIncomplete   string
	KeypadHint       string
	CodeInvalid      string
	CodeExpired      string
	CodeResent       string
	Checking         string
	AskPassword      string
	PasswordInvalid  string
	PasswordNotText  string
	ConnectedF       string
	PhoneInvalid     string
	NotRegistered    string
	FloodWaitF       string
	Banned           string
	AlreadyConnected string
	AccountInUse     string
	LoginGone        string
	LoginFailed      string
	QRWorking        string
	QRCaption        string
	QRExpired        string
	Disconnecting    string
	DisconnectAsk    string
	BtnDisconnectYes string
	Disconnected     string
	DisconnectFailed string
	StateNoticeF     map[string]string
	Minutes          plural
	Seconds          plural

	ChatsNeedAccount string
	ChatsLoading     string
	ChatsF           string
	ChatsNone        string
	ChatsSearchF     string
	ChatTypes        map[string]string
	BtnSearch        string
	BtnClearSearch   string
	BtnReload        string
	AskSearch        string
	ChatLimitF       string
	ChatGone         string
	ChatOnF          string
	ChatOffF         string
	ChatsFailed      string
}

var enAccount = accountTexts{
	NotAvailable:    "<b>Account</b>\n\nConnecting a Telegram account is not enabled on this instance of the service.",
	NoAccount:       "<b>Account</b>\n\nNo Telegram account is connected.\n\nConnecting lets LeadGenRunner read the chats you pick (and nothing else) and send replies you approve. Your session is stored encrypted; your two-step verification password is never stored.",
	BtnConnectPhone: "📱 Connect with phone number",
	BtnConnectQR:    "🔳 Connect with QR code",
	AccountF:        "<b>Account</b>\n\n%s\nState: %s\nChats monitored: %d\nChannels joined: %d of 500\nLast message seen: %s",
	StateNames: map[string]string{
		StateConnected:    "🟢 connected",
		StateReconnecting: "🟡 reconnecting",
		StateNeedsLogin:   "🔴 needs login again",
		StateBanned:       "⛔ banned or deactivated by Telegram",
	},
	Never:            "not yet",
	BtnDisconnect:    "🔌 Disconnect",
	BtnReconnect:     "🔁 Log in again",
	BtnPickChats:     "💬 Pick chats",
	AskPhone:         "Tap “Send my number” below to share the phone number of your Telegram account, or type it in international format, like +44 7700 900123.",
	BtnSharePhone:    "📱 Send my number",
	BtnCancelReply:   "✖️ Cancel",
	NotOwnContact:    "Please share your own number with the button, or type it.",
	BadPhone:         "That does not look like a phone number. Type it with the country code, like +44 7700 900123, or tap Cancel.",
	SendingCodeF:     "⏳ Asking Telegram to send a login code to %s…",
	KeypadF:          "Telegram sent a login code%s.\n\nEnter it with the keypad below. <b>Do not type it as a message</b>: Telegram cancels codes that are sent in any chat.\n\nCode: <code>%s</code>",
	CodeVia:          map[string]string{"app": " to your Telegram app", "sms": " by SMS", "call": " by phone call", "": ""},
	BtnResend:        "🔁 Send code again",
	BtnSubmit:        "✅",
	CodeIncomplete:   "Enter all the digits of the code first.",
	KeypadHint:       "Please do not type the code: Telegram cancels codes sent in any chat. Use the keypad above (if this code stops working, tap “Send code again”).",
	CodeInvalid:      "❌ That code is not right. Please enter it again.",
	CodeExpired:      "⌛ That code expired, so Telegram sent a new one. Enter the new code.",
	CodeResent:       "Telegram sent the code again.",
	Checking:         "⏳ Checking…",
	AskPassword:      "🔐 Your account has two-step verification.\n\nSend your password as a message. I will delete your message at once and never store or log the password.",
	PasswordInvalid:  "❌ That password is not right. Send it again, or tap Cancel.",
	PasswordNotText:  "Please send the password as a text message.",
	ConnectedF:       "✅ Connected as %s.\n\nNext, pick the chats to watch.",
	PhoneInvalid:     "❌ Telegram says this phone number is invalid. Check the country code and try again.",
	NotRegistered:    "This number has no Telegram account. Sign up in the Telegram app first, then connect it here.",
	FloodWaitF:       "⏳ Telegram asks to wait %s before trying again. Please come back then.",
	Banned:           "⛔ Telegram reports this account as banned or deactivated, so it cannot be connected.",
	AlreadyConnected: "You already have a connected account. Disconnect it in Account before connecting another one.",
	AccountInUse:     "This Telegram account is already connected to LeadGenRunner by someone else.",
	LoginGone:        "This login has expired or was cancelled. Start again from Account.",
	LoginFailed:      "⚠️ Telegram could not be reached to finish the login. Please try again in a minute.",
	QRWorking:        "⏳ Preparing a QR code…",
	QRCaption:        "On a device where you are already logged in, open Telegram → Settings → Devices → Link Desktop Device, and scan this code. It refreshes automatically.",
	QRExpired:        "The QR login timed out. Start again from Account when you are ready.",
	Disconnecting:    "⏳ Disconnecting…",
	DisconnectAsk:    "<b>Disconnect your Telegram account?</b>\n\nWe log the session out at Telegram, delete it here and stop reading your chats at once. Your leads and keywords stay.",
	BtnDisconnectYes: "🔌 Yes, disconnect",
	Disconnected:     "🔌 Disconnected. Nothing more is collected from your account.",
	DisconnectFailed: "⚠️ Telegram could not be reached to log the session out. Please try again in a minute.",
	StateNoticeF: map[string]string{
		StateNeedsLogin: "🔴 Your Telegram session was ended (for example from Telegram → Settings → Devices). Monitoring stopped. Log in again from Account to resume.",
		StateBanned:     "⛔ Telegram reports your account as banned or deactivated. Monitoring stopped.",
	},
	Minutes: plural{One: "%d minute", Many: "%d minutes"},
	Seconds: plural{One: "%d second", Many: "%d seconds"},

	ChatsNeedAccount: "<b>Chats</b>\n\nConnect your Telegram account first; then you can pick its groups and channels here.",
	ChatsLoading:     "⏳ Loading your chats…",
	ChatsF:           "<b>Chats</b> — monitoring %d of %d allowed\n\nTap a chat to start or stop monitoring it. Private chats are never offered or read.",
	ChatsNone:        "Your account has no groups or channels.",
	ChatsSearchF:     "Search: <code>%s</code>",
	ChatTypes:        map[string]string{"group": "group", "supergroup": "supergroup", "channel": "channel"},
	BtnSearch:        "🔎 Search",
	BtnClearSearch:   "✖️ Clear search",
	BtnReload:        "🔄 Reload",
	AskSearch:        "Send part of a chat's title to search.",
	ChatLimitF:       "You can monitor at most %d chats. Stop monitoring another chat first.",
	ChatGone:         "That chat is no longer in the list. Reload it.",
	ChatOnF:          "Monitoring: %s",
	ChatOffF:         "Stopped: %s",
	ChatsFailed:      "⚠️ Could not load your chats from Telegram. Please try again in a minute.",
}

var ruAccount = accountTexts{
	NotAvailable:    "<b>Аккаунт</b>\n\nПодключение аккаунта Telegram на этом экземпляре сервиса не включено.",
	NoAccount:       "<b>Аккаунт</b>\n\nАккаунт Telegram не подключён.\n\nПодключение позволяет LeadGenRunner читать выбранные вами чаты (и ничего больше) и отправлять одобренные вами ответы. Сессия хранится в зашифрованном виде; пароль двухэтапной проверки не сохраняется.",
	BtnConnectPhone: "📱 Подключить по номеру телефона",
	BtnConnectQR:    "🔳 Подключить по QR-коду",
	AccountF:        "<b>Аккаунт</b>\n\n%s\nСостояние: %s\nОтслеживается чатов: %d\nКаналов и супергрупп: %d из 500\nПоследнее сообщение: %s",
	StateNames: map[string]string{
		StateConnected:    "🟢 подключён",
		StateReconnecting: "🟡 переподключается",
		StateNeedsLogin:   "🔴 нужно войти заново",
		StateBanned:       "⛔ заблокирован или удалён Telegram",
	},
	Never:            "пока нет",
	BtnDisconnect:    "🔌 Отключить",
	BtnReconnect:     "🔁 Войти заново",
	BtnPickChats:     "💬 Выбрать чаты",
	AskPhone:         "Нажмите «Отправить мой номер» ниже, чтобы поделиться номером аккаунта Telegram, или введите его в международном формате, например +7 912 345-67-89.",
	BtnSharePhone:    "📱 Отправить мой номер",
	BtnCancelReply:   "✖️ Отмена",
	NotOwnContact:    "Поделитесь, пожалуйста, своим номером через кнопку или введите его.",
	BadPhone:         "Это не похоже на номер телефона. Введите его с кодом страны, например +7 912 345-67-89, или нажмите «Отмена».",
	SendingCodeF:     "⏳ Просим Telegram отправить код входа на %s…",
	KeypadF:          "Telegram отправил вам код входа%s.\n\nВведите его кнопками ниже. <b>Не отправляйте код сообщением</b>: Telegram отменяет коды, отправленные в любой чат.\n\nКод: <code>%s</code>",
	CodeVia:          map[string]string{"app": " в приложение Telegram", "sms": " по SMS", "call": " звонком", "": ""},
	BtnResend:        "🔁 Отправить код ещё раз",
	BtnSubmit:        "✅",
	CodeIncomplete:   "Сначала введите все цифры кода.",
	KeypadHint:       "Не вводите код сообщением: Telegram отменяет коды, отправленные в любой чат. Используйте кнопки выше (если код перестал работать, нажмите «Отправить код ещё раз»).",
	CodeInvalid:      "❌ Код неверный. Введите его ещё раз.",
	CodeExpired:      "⌛ Срок действия кода истёк, Telegram отправил новый. Введите новый код.",
	CodeResent:       "Telegram отправил код ещё раз.",
	Checking:         "⏳ Проверяем…",
	AskPassword:      "🔐 В вашем аккаунте включена двухэтапная проверка.\n\nОтправьте пароль сообщением. Я сразу удалю сообщение и никогда не сохраню и не запишу пароль в журнал.",
	PasswordInvalid:  "❌ Пароль неверный. Отправьте его ещё раз или нажмите «Отмена».",
	PasswordNotText:  "Отправьте пароль текстовым сообщением.",
	ConnectedF:       "✅ Подключён аккаунт %s.\n\nТеперь выберите чаты для отслеживания.",
	PhoneInvalid:     "❌ Telegram сообщает, что номер неверный. Проверьте код страны и попробуйте снова.",
	NotRegistered:    "На этот номер не зарегистрирован аккаунт Telegram. Сначала зарегистрируйтесь в приложении Telegram, затем подключите аккаунт здесь.",
	FloodWaitF:       "⏳ Telegram просит подождать %s, прежде чем пробовать снова. Возвращайтесь позже.",
	Banned:           "⛔ Telegram сообщает, что аккаунт заблокирован или удалён, поэтому его нельзя подключить.",
	AlreadyConnected: "У вас уже подключён аккаунт. Отключите его в разделе «Аккаунт», прежде чем подключать другой.",
	AccountInUse:     "Этот аккаунт Telegram уже подключён к LeadGenRunner другим пользователем.",
	LoginGone:        "Этот вход устарел или был отменён. Начните заново в разделе «Аккаунт».",
	LoginFailed:      "⚠️ Не удалось связаться с Telegram, чтобы завершить вход. Попробуйте ещё раз через минуту.",
	QRWorking:        "⏳ Готовим QR-код…",
	QRCaption:        "На устройстве, где вы уже вошли, откройте Telegram → Настройки → Устройства → Подключить устройство и отсканируйте этот код. Он обновляется автоматически.",
	QRExpired:        "Время входа по QR-коду истекло. Начните заново в разделе «Аккаунт», когда будете готовы.",
	Disconnecting:    "⏳ Отключаем…",
	DisconnectAsk:    "<b>Отключить аккаунт Telegram?</b>\n\nМы завершим сессию в Telegram, удалим её здесь и сразу перестанем читать ваши чаты. Лиды и ключевые слова останутся.",
	BtnDisconnectYes: "🔌 Да, отключить",
	Disconnected:     "🔌 Аккаунт отключён. Больше ничего не собирается.",
	DisconnectFailed: "⚠️ Не удалось связаться с Telegram, чтобы завершить сессию. Попробуйте ещё раз через минуту.",
	StateNoticeF: map[string]string{
		StateNeedsLogin: "🔴 Ваша сессия Telegram завершена (например, в Telegram → Настройки → Устройства). Отслеживание остановлено. Войдите заново в разделе «Аккаунт», чтобы продолжить.",
		StateBanned:     "⛔ Telegram сообщает, что ваш аккаунт заблокирован или удалён. Отслеживание остановлено.",
	},
	Minutes: plural{One: "%d минуту", Few: "%d минуты", Many: "%d минут"},
	Seconds: plural{One: "%d секунду", Few: "%d секунды", Many: "%d секунд"},

	ChatsNeedAccount: "<b>Чаты</b>\n\nСначала подключите аккаунт Telegram, затем здесь можно будет выбрать его группы и каналы.",
	ChatsLoading:     "⏳ Загружаем ваши чаты…",
	ChatsF:           "<b>Чаты</b> — отслеживается %d из %d доступных\n\nНажмите на чат, чтобы начать или прекратить его отслеживание. Личные переписки не предлагаются и не читаются.",
	ChatsNone:        "В вашем аккаунте нет групп и каналов.",
	ChatsSearchF:     "Поиск: <code>%s</code>",
	ChatTypes:        map[string]string{"group": "группа", "supergroup": "супергруппа", "channel": "канал"},
	BtnSearch:        "🔎 Поиск",
	BtnClearSearch:   "✖️ Сбросить поиск",
	BtnReload:        "🔄 Обновить",
	AskSearch:        "Отправьте часть названия чата для поиска.",
	ChatLimitF:       "Можно отслеживать не больше %d чатов. Сначала отключите другой чат.",
	ChatGone:         "Этого чата больше нет в списке. Обновите список.",
	ChatOnF:          "Отслеживается: %s",
	ChatOffF:         "Остановлено: %s",
	ChatsFailed:      "⚠️ Не удалось загрузить чаты из Telegram. Попробуйте ещё раз через минуту.",
}

func atr(lang string) *accountTexts {
	if lang == "ru" {
		return &ruAccount
	}
	return &enAccount
}
