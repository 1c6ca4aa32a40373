package desk

import (
	"strings"
	"testing"
)

func TestAgentCan(t *testing.T) {
	for _, tt := range []struct {
		a    Agent
		want bool
	}{
		{Agent{Role: RoleAgent}, false},
		{Agent{Role: RoleSupervisor}, false},
		{Agent{Role: RoleAdmin}, true},
		{Agent{Role: RoleAgent, Permissions: []string{PermPIIReveal}}, true},
	} {
		if got := tt.a.Can(PermPIIReveal); got != tt.want {
			t.Errorf("%+v Can(pii.reveal) = %t, want %t", tt.a, got, tt.want)
		}
	}
}

func TestMaskingHelpers(t *testing.T) {
	const phone, id, card, mail = "13800138000", "110101199003071233", "6222020200001234562", "zhang.san@example.com"
	raw := strings.Join([]string{phone, id, card, mail}, " ")
	m := maskMessage(Message{Text: raw, HTML: "<p>" + raw + "</p>", DeliveryError: "550 " + mail,
		Event: &SystemEvent{Action: "x", Args: map[string]string{"to": phone}}})
	tk := maskTicket(Ticket{Subject: raw, Preview: raw})
	c := maskContact(Contact{Name: phone, Identities: []Identity{{Kind: IdentityPhone, Value: phone},
		{Kind: IdentityPhone, Value: "+44 20 7946 0958"}, {Kind: IdentityEmail, Value: mail}}})
	out := strings.Join([]string{m.Text, m.HTML, m.DeliveryError, m.Event.Args["to"], tk.Subject, tk.Preview, c.Name,
		c.Identities[0].Value, c.Identities[1].Value, c.Identities[2].Value}, "|")
	for _, v := range []string{phone, "119900307", card, mail, "7946 0958"} {
		if strings.Contains(out, v) {
			t.Errorf("%q is left in %s", v, out)
		}
	}
	if c.Identities[1].Value != "****0958" {
		t.Errorf("landline masked as %q", c.Identities[1].Value)
	}
}
