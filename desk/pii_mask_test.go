package desk

import "testing"

func TestMaskFor(t *testing.T) {
	const text = "手机13800138000"
	for _, tt := range []struct {
		role Role
		want string
	}{
		{RoleAgent, "手机138****8000"},
		{RoleSupervisor, "手机138****8000"},
		{RoleAdmin, text},
	} {
		if got := MaskFor(Agent{Role: tt.role}, text); got != tt.want {
			t.Errorf("MaskFor(%s) = %q, want %q", tt.role, got, tt.want)
		}
		ms := []Message{{Text: text, HTML: "<p>" + text + "</p>"}}
		MaskMessagesFor(Agent{Role: tt.role}, ms)
		if ms[0].Text != tt.want || ms[0].HTML != "<p>"+tt.want+"</p>" {
			t.Errorf("MaskMessagesFor(%s) = %+v, want text %q", tt.role, ms[0], tt.want)
		}
	}
}
