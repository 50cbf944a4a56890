#pragma once

// Starting points for the clusters people connect to most: each fills the protocol,
// mechanism and the settings a provider requires, and says in one line what to enter.

#include "profile.h"

#include <QList>
#include <QString>
#include <functional>

namespace periscope::profiles {

struct Preset
{
    QString id;               // stable, untranslated ("confluent-cloud")
    QString name;             // for the preset menu
    QString hint;             // one line for the dialog: what to enter where
    QString bootstrapExample; // a placeholder, never written into the profile
    std::function<void(Profile &)> apply;
};

QList<Preset> presets();
std::optional<Preset> findPreset(const QString &id);

// Azure Event Hubs: "Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=..;
// SharedAccessKey=.." gives "NS.servicebus.windows.net:9093", or nullopt if malformed.
std::optional<QString> eventHubsBootstrap(const QString &connectionString);

// Fills bootstrap, SASL_SSL/PLAIN, the "$ConnectionString" user and the connection string
// as password. Returns an error message, empty on success.
QString applyEventHubsConnectionString(Profile &profile, Secrets &secrets,
                                       const QString &connectionString);

} // namespace periscope::profiles
