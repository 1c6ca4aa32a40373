package web

import (
	"testing"

	"huiliu/bot"
	"huiliu/desk/botadmin"
)

// TestOpenAPIBotSchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the bot's administration API.
func TestOpenAPIBotSchemasMatchStructs(t *testing.T) {
	oaCheckSchemas(t, map[string]any{
		"BotSiteSettings":    botadmin.Settings{},
		"BotSettingsList":    botSettingsList{},
		"BotFlowVersion":     botadmin.FlowVersion{},
		"BotFlowVersionList": botFlowVersionList{},
		"BotTryTurn":         botadmin.TryTurn{},
		"BotReply":           bot.Reply{},
		"BotDecision":        bot.Decision{},
		"BotAnalytics":       botadmin.Report{},
		"BotPanel":           botadmin.Panel{},
	}, map[string]any{
		"BotSettingsRequest": botSettingsRequest{},
		"BotFlowsRequest":    botFlowsRequest{},
		"BotRestoreRequest":  botRestoreRequest{},
		"BotTryRequest":      botTryRequest{},
	})
}
