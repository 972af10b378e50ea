package recruit

import (
	"fmt"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

// Status is a case's place in its life.
type Status string

// The statuses. Rejected, withdrawn, expired and returned_to_pool are final.
const (
	StatusFiled          Status = "filed"            // 已申报，待审核
	StatusReturned       Status = "returned"         // 退回修改
	StatusRejected       Status = "rejected"         // 不予受理
	StatusAccepted       Status = "accepted"         // 已受理，周转池编制已预留
	StatusWithdrawn      Status = "withdrawn"        // 已撤回
	StatusExpired        Status = "expired"          // 预留逾期作废
	StatusHired          Status = "hired"            // 已引进，占用借出编制
	StatusOverdue        Status = "overdue"          // 借用逾期未归还
	StatusReturnedToPool Status = "returned_to_pool" // 编制已归还周转池
)

var statusLabels = map[Status]string{
	StatusFiled: "已申报待审核", StatusReturned: "退回修改", StatusRejected: "不予受理", StatusAccepted: "已受理（已预留编制）",
	StatusWithdrawn: "已撤回", StatusExpired: "预留逾期作废", StatusHired: "已引进（借用周转编制）",
	StatusOverdue: "借用逾期未归还", StatusReturnedToPool: "已归还周转池",
}

// Statuses lists every status in life order.
func Statuses() []Status {
	return []Status{StatusFiled, StatusReturned, StatusRejected, StatusAccepted, StatusWithdrawn, StatusExpired,
		StatusHired, StatusOverdue, StatusReturnedToPool}
}

// Label returns the Simplified-Chinese name of s.
func (s Status) Label() string { return statusLabels[s] }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Final reports whether no event can change s.
func (s Status) Final() bool {
	for _, t := range transitions {
		if t.from == s {
			return false
		}
	}
	return true
}

// Event is something that happens to a case.
type Event string

// The events.
const (
	EventAccept     Event = "accept"      // 市编办审核通过，预留周转池编制
	EventSendBack   Event = "send_back"   // 退回修改
	EventReject     Event = "reject"      // 不予受理
	EventResubmit   Event = "resubmit"    // 修改后重新申报
	EventWithdraw   Event = "withdraw"    // 撤回
	EventExpire     Event = "expire"      // 预留到期未使用
	EventHire       Event = "hire"        // 引进到岗，借出编制
	EventReturnLoan Event = "return_loan" // 出现同类空编，归还周转池
	EventOverdue    Event = "overdue"     // 借用超过期限
)

var eventLabels = map[Event]string{
	EventAccept: "审核通过", EventSendBack: "退回修改", EventReject: "不予受理", EventResubmit: "重新申报",
	EventWithdraw: "撤回", EventExpire: "预留到期作废", EventHire: "引进到岗", EventReturnLoan: "归还周转池",
	EventOverdue: "借用逾期",
}

// Label returns the Simplified-Chinese name of e.
func (e Event) Label() string { return eventLabels[e] }

// Valid reports whether e is a known event.
func (e Event) Valid() bool { _, ok := eventLabels[e]; return ok }

// Effect is what a transition asks of the quota ledger.
type Effect string

// The effects. EffectNone transitions change only the case.
const (
	EffectNone   Effect = ""
	EffectHold   Effect = "hold"   // place a hold on one post of the pool
	EffectVoid   Effect = "void"   // void the case's hold
	EffectLoan   Effect = "loan"   // post the hold as a loan to the unit and hire the person
	EffectReturn Effect = "return" // return the loaned post from the unit to the pool
)

type transition struct {
	from   Status
	event  Event
	to     Status
	effect Effect
}

// transitions is the whole state machine. Anything not listed is refused.
var transitions = []transition{
	{StatusFiled, EventAccept, StatusAccepted, EffectHold},
	{StatusFiled, EventSendBack, StatusReturned, EffectNone},
	{StatusFiled, EventReject, StatusRejected, EffectNone},
	{StatusFiled, EventWithdraw, StatusWithdrawn, EffectNone},
	{StatusReturned, EventResubmit, StatusFiled, EffectNone},
	{StatusReturned, EventWithdraw, StatusWithdrawn, EffectNone},
	{StatusAccepted, EventHire, StatusHired, EffectLoan},
	{StatusAccepted, EventWithdraw, StatusWithdrawn, EffectVoid},
	{StatusAccepted, EventExpire, StatusExpired, EffectVoid},
	{StatusHired, EventReturnLoan, StatusReturnedToPool, EffectReturn},
	{StatusHired, EventOverdue, StatusOverdue, EffectNone},
	// An overdue loan is still returned when the vacancy finally opens.
	{StatusOverdue, EventReturnLoan, StatusReturnedToPool, EffectReturn},
}

// Transition returns the status event leads to from s and what it asks of the ledger, or an
// invalid_state refusal naming both in Chinese.
func Transition(s Status, e Event) (Status, Effect, error) {
	if !e.Valid() {
		return "", EffectNone, apperr.Invalid("event", "未知的操作："+string(e), "unknown event "+string(e))
	}
	for _, t := range transitions {
		if t.from == s && t.event == e {
			return t.to, t.effect, nil
		}
	}
	return "", EffectNone, apperr.New(apperr.CodeInvalidState,
		fmt.Sprintf("案件当前状态为“%s”，不能执行“%s”", s.Label(), e.Label()),
		fmt.Sprintf("event %s is not allowed in status %s", e, s)).WithExtra("status", string(s))
}
