package web

import (
	"testing"

	"huiliu/desk"
	"huiliu/i18n"
)

func TestSystemTextTranslatesSLAAndAutoAssign(t *testing.T) {
	esc := desk.Message{Text: "SLA first response warning: escalation step 1", Event: &desk.SystemEvent{Action: "sla_escalation",
		Args: map[string]string{"target": "first_response", "level": "warning", "step": "1", "cycle": "0", "actions": ""}}}
	if got := systemText(i18n.ZhCN, esc); got != "SLA 首次响应 预警：第 1 级升级 " {
		t.Errorf("zh-CN escalation: %q", got)
	}
	if got := systemText(i18n.En, esc); got != "SLA First response warning: escalation step 1 " {
		t.Errorf("en escalation: %q", got)
	}
	// A step that acted says what it did in the reader's language.
	acted := desk.Message{Event: &desk.SystemEvent{Action: "sla_escalation", Args: map[string]string{
		"target": "resolution", "level": "breached", "step": "2", "actions": "priority high, team 法务组, notify owner+supervisors",
		"raised_to": "high", "moved_to": "法务组", "notified": "owner+supervisors"}}}
	if got := systemText(i18n.ZhCN, acted); got != "SLA 解决 已超时：第 2 级升级 优先级升为高，转给团队 法务组，通知首问负责人、团队主管" {
		t.Errorf("zh-CN acted escalation: %q", got)
	}
	if got := systemText(i18n.En, acted); got != "SLA Resolution breached: escalation step 2 priority raised to High, moved to team 法务组, notified the owner and the team's supervisors" {
		t.Errorf("en acted escalation: %q", got)
	}
	for _, w := range []string{"owner", "assignee", "supervisors"} {
		wantKey(t, "escalation recipients", "sla.who."+w)
	}
	auto := desk.Message{Text: "auto assigned", Event: &desk.SystemEvent{Action: "assign", Args: map[string]string{"by": "auto", "to": "李娜"}}}
	if got := systemText(i18n.ZhCN, auto); got != "自动分配：工单分配给 李娜" {
		t.Errorf("zh-CN auto-assign: %q", got)
	}
	if got := systemText(i18n.En, auto); got != "Auto-assign: the ticket went to 李娜" {
		t.Errorf("en auto-assign: %q", got)
	}
	// A person's assignment keeps its own words.
	byHand := desk.Message{Event: &desk.SystemEvent{Action: "assign", Args: map[string]string{"by": "王伟", "to": "李娜"}}}
	if got := systemText(i18n.ZhCN, byHand); got != "王伟 将工单分配给 李娜" {
		t.Errorf("zh-CN assignment: %q", got)
	}
	for _, k := range []string{"sla.target.first_response", "sla.target.next_response", "sla.target.resolution",
		"sla.level.warning", "sla.level.breached", "sla.state.running", "sla.state.paused", "sla.state.met", "sla.state.breached"} {
		wantKey(t, "sla", k)
	}
	// Keys the templates build from values.
	for _, k := range []string{"sup.presence." + desk.PresenceOnline, "sup.presence." + desk.PresenceAway} {
		wantKey(t, "supervisor.html", k)
	}
	for _, d := range slaWeekdays {
		wantKey(t, "admin_sla.html", "slaadm.day."+d)
	}
	for _, w := range []string{"owner", "assignee", "supervisors"} {
		wantKey(t, "sla_admin.js", "js.notify_"+w)
	}
}
