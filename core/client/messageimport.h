#pragma once

#include "jobs/pending.h"
#include "jobs/progress.h"
#include "producer.h"
#include "types.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace periscope::client {

// Every message of a JSON Lines file (see messagejson.h), all or nothing: the first
// malformed line fails the whole file, its error naming the line ("line 3: …"), so nothing
// is produced from a broken file. Blank lines are skipped.
Result<QList<OutgoingMessage>> readJsonLines(const QString &path);
Result<QList<OutgoingMessage>> parseJsonLines(const QByteArray &text);

// readJsonLines in a job of the local pool, with progress in bytes read of the file's size.
// Cancelling it stops the reading between lines; its result is then never delivered.
jobs::Pending<Result<QList<OutgoingMessage>>>
readJsonLinesInBackground(const QString &path, jobs::ProgressReporter progress = {});

} // namespace periscope::client
