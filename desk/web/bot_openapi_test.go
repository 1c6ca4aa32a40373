package web

import (
	"reflect"
	"testing"

	"huiliu/bot"
	"huiliu/desk/botadmin"
)

// TestOpenAPIBotSchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the bot's administration API.
func TestOpenAPIBotSchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{
		{map[string]any{
			"BotSiteSettings":    botadmin.Settings{},
			"BotSettingsList":    botSettingsList{},
			"BotFlowVersion":     botadmin.FlowVersion{},
			"BotFlowVersionList": botFlowVersionList{},
			"BotTryTurn":         botadmin.TryTurn{},
			"BotReply":           bot.Reply{},
			"BotDecision":        bot.Decision{},
			"BotAnalytics":       botadmin.Report{},
			"BotPanel":           botadmin.Panel{},
		}, true},
		{map[string]any{
			"BotSettingsRequest": botSettingsRequest{},
			"BotFlowsRequest":    botFlowsRequest{},
			"BotRestoreRequest":  botRestoreRequest{},
			"BotTryRequest":      botTryRequest{},
		}, false},
	} {
		for name, v := range set.types {
			s, ok := schemas[name]
			if !ok {
				t.Errorf("components.schemas.%s is missing", name)
				continue
			}
			oaCompareSchema(t, doc, oaObject(t, s, name), reflect.TypeOf(v), name, set.response)
		}
	}
}
