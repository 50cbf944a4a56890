#pragma once

// Reads an existing client configuration into a profile: a Java client.properties
// (with sasl.jaas.config) or a kcat/librdkafka config file (key=value).

#include "profile.h"

#include <QString>
#include <QStringList>

namespace periscope::profiles {

struct ImportResult
{
    Profile profile;
    Secrets secrets;
    QStringList warnings; // settings that were dropped or need the user's attention
    QString error;        // set when the text could not be read; profile is then unusable
    bool ok() const { return error.isEmpty(); }
};

// `text` is the file content. Unknown keys go to extraProperties; Java-only keys and keys
// holding secrets that have no place in Secrets are dropped with a warning.
ImportResult importClientConfig(const QString &text);

// Reads the file and names the profile after it.
ImportResult importClientConfigFile(const QString &path);

} // namespace periscope::profiles
