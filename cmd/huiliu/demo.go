package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

// demoPassword makes the demo accounts' one password, printed once: a fixed
// one would be a known login on any desk where someone once tried the demo.
func demoPassword() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return "demo-" + base64.RawURLEncoding.EncodeToString(b)
}

type demoConversation struct {
	visitor, name, customerNo string
	text                      string
	reply, note               string
	replier                   int // index into the demo agents, -1: nobody answered yet
	change                    desk.TicketChange
}

func runDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var origin string
	cfg, err := adminFlags("demo", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&origin, "origin", "", "origin the demo site's widget runs on (default: the desk's own, from --public-url or --addr)")
	})
	if err != nil {
		return err
	}
	if origin == "" {
		origin = deskOrigin(cfg)
	}
	norm, err := desk.NormalizeOrigin(origin)
	if err != nil {
		return usagef("--origin: %v", err)
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		return loadDemo(ctx, a, norm, stdout)
	})
}

// deskOrigin is where the desk itself is reached, so the demo widget works
// on the desk's own preview page.
func deskOrigin(cfg Config) string {
	if cfg.PublicURL != "" {
		return strings.TrimRight(cfg.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "8080"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func loadDemo(ctx context.Context, a *app, origin string, stdout io.Writer) error {
	if _, err := a.db.AgentByEmail(ctx, "admin@demo.huiliu.local"); err == nil {
		fmt.Fprintln(stdout, "demo data is already loaded (its password was printed then); log in as admin@demo.huiliu.local")
		return nil
	} else if !errors.Is(err, desk.ErrNotFound) {
		return err
	}
	sys := desk.Actor{}
	people := []desk.NewAgent{
		{Email: "admin@demo.huiliu.local", Name: "管理员 Admin", Role: desk.RoleAdmin, Teams: []string{"客服组"}},
		{Email: "zhou@demo.huiliu.local", Name: "周敏", Role: desk.RoleSupervisor, Teams: []string{"客服组", "催收组"}},
		{Email: "lina@demo.huiliu.local", Name: "李娜", Role: desk.RoleAgent, Teams: []string{"客服组"}},
		{Email: "wanglei@demo.huiliu.local", Name: "王磊", Role: desk.RoleAgent, Teams: []string{"催收组"}},
		{Email: "emma@demo.huiliu.local", Name: "Emma Liu", Role: desk.RoleAgent, Teams: []string{"客服组"}},
	}
	password := demoPassword()
	var agents []desk.Agent
	for _, p := range people {
		p.Password = password
		ag, err := a.svc.CreateAgent(ctx, sys, p)
		if err != nil {
			return fmt.Errorf("demo agent %s: %w", p.Email, err)
		}
		agents = append(agents, ag)
	}
	support, err := a.db.TeamByName(ctx, "客服组")
	if err != nil {
		return err
	}
	collections, err := a.db.TeamByName(ctx, "催收组")
	if err != nil {
		return err
	}
	admin := desk.Actor{Agent: &agents[0]}
	site, err := a.svc.CreateSite(ctx, admin, desk.SiteChange{
		Name:      ptrTo("演示租赁商城 Demo rentals"),
		Origins:   &[]string{origin},
		Greeting:  ptrTo("您好，欢迎咨询租机、租车与分期还款。 Hello! Ask us about rentals and repayments."),
		HoursNote: ptrTo("人工客服：工作日 9:00–18:00 · Agents: weekdays 9:00–18:00 (UTC+8)"),
	})
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	for _, c := range []desk.CannedReply{
		{Title: "问候 / Greeting", Text: "您好，我是客服，很高兴为您服务。请问有什么可以帮您？"},
		{TeamID: support.ID, Title: "核实身份", Text: "为保护您的账户安全，请先完成身份验证，我们再为您查询账户信息。"},
		{TeamID: support.ID, Title: "Return a device", Text: "You can return the device at any of our stores or by courier; we will send you a prepaid label."},
		{TeamID: collections.ID, Title: "延期还款说明", Text: "可以为您申请延期还款，延期期间不产生逾期记录，我们会在一个工作日内回复审批结果。"},
		{Title: "防诈骗提醒", Text: "我们的客服不会要求您向个人账户转账。您可以在对话中看到客服的工号，并通过官方热线核实。"},
	} {
		if _, err := a.svc.CreateCannedReply(ctx, desk.Actor{Agent: &agents[1]}, c); err != nil {
			return fmt.Errorf("demo canned reply: %w", err)
		}
	}
	urgent, high := desk.PriorityUrgent, desk.PriorityHigh
	pending := desk.StatusPending
	convs := []demoConversation{
		{visitor: "demo-visitor-wangfang", name: "王芳", customerNo: "C10023",
			text:  "你好，我的租机合同下个月到期，想问一下提前还机怎么办理？",
			reply: "王女士您好，提前还机可以在 App「我的租赁」里申请，门店或快递都可以，押金会在验机后 3 个工作日内退回。",
			note:  "客户信用良好，无逾期记录。", replier: 2},
		{visitor: "demo-visitor-chen", name: "陈先生",
			text:    "我这个月的分期还款能不能延后一周？工资还没发。",
			replier: -1, change: desk.TicketChange{TeamID: &collections.ID, AddTags: []string{"延期"}}},
		{visitor: "demo-visitor-emily", name: "Emily Carter",
			text: "Hi, I was charged twice for my car rental deposit. Could you check please?", replier: -1},
		{visitor: "demo-visitor-liu", name: "刘强",
			text:    "有人打电话自称你们客服，让我把钱转到个人账户，这是真的吗？",
			reply:   "刘先生您好，这不是我们的客服！我们从不要求转账到个人账户。您在这里看到的客服都显示工号，可拨打官方热线核实。",
			replier: 3, change: desk.TicketChange{Priority: &urgent, AddTags: []string{"防诈骗"}}},
		{visitor: "demo-visitor-tom", name: "Tom Baker",
			text:    "How do I return the laptop at the end of the lease?",
			reply:   "Hi Tom, you can drop it at any store or request a prepaid courier label in the app. Anything else I can help with?",
			replier: 4, change: desk.TicketChange{Status: &pending}},
		{visitor: "demo-visitor-zhao", name: "赵女士",
			text:    "我要投诉！上周报修的手机到现在都没人联系我。",
			replier: -1, change: desk.TicketChange{Priority: &high, AddTags: []string{"投诉"}}},
	}
	at := time.Now().Add(-time.Duration(len(convs)) * 7 * time.Minute)
	for i, c := range convs {
		in := channels.Inbound{Channel: "webchat", ExternalID: c.visitor + ":demo-1", ThreadKey: site.Key,
			From: channels.Party{Kind: desk.IdentityWebchat, Value: c.visitor, Name: c.name}, Text: c.text,
			ReceivedAt: at.Add(time.Duration(i) * 7 * time.Minute)}
		if c.customerNo != "" {
			in.Links = []channels.Party{{Kind: desk.IdentityCustomerNo, Value: c.customerNo, Name: c.name, Verified: true, Method: "site_signature"}}
		}
		rc, err := a.svc.Ingest(ctx, in)
		if err != nil {
			return fmt.Errorf("demo conversation %d: %w", i+1, err)
		}
		if c.replier >= 0 {
			if _, _, err := a.svc.Post(ctx, desk.AgentActor(agents[c.replier]), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: c.reply}); err != nil {
				return fmt.Errorf("demo reply %d: %w", i+1, err)
			}
		}
		if c.note != "" {
			if _, _, err := a.svc.Post(ctx, desk.AgentActor(agents[c.replier]), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindNote, Text: c.note}); err != nil {
				return fmt.Errorf("demo note %d: %w", i+1, err)
			}
		}
		if _, err := a.svc.ChangeTicket(ctx, agents[1], rc.TicketID, c.change); err != nil {
			return fmt.Errorf("demo change %d: %w", i+1, err)
		}
	}
	if err := loadDemoFacts(ctx, a); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo loaded: %d agents, 2 teams (客服组, 催收组), site %q, %d conversations\n", len(agents), site.Name, len(convs))
	fmt.Fprintf(stdout, "password for every demo account: %s\n", password)
	for _, ag := range agents {
		fmt.Fprintf(stdout, "  %-28s %-10s %s (%s)\n", ag.Email, ag.Role, ag.Name, ag.EmployeeNo)
	}
	fmt.Fprintf(stdout, "widget for %s:\n  <script src=\"%s/widget.js\" data-site=\"%s\" async></script>\n", origin, origin, site.Key)
	fmt.Fprintf(stdout, "start the desk with 'huiliu serve' (same --data / DATABASE_URL), chat as a customer on %s/webchat/try?site=%s\n", origin, site.Key)
	fmt.Fprintf(stdout, "and answer on %s/login\n", origin)
	return nil
}

func ptrTo[T any](v T) *T { return &v }
