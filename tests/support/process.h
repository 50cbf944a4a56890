#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace periscope::test {

// A finished command: exit code (-1 when it crashed or timed out) and its output.
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs a peer tool (kcat, python3) to completion; the test thread blocks.
Run run(const QString &program, const QStringList &args, const QByteArray &input = {},
        int timeoutMs = 60000);

} // namespace periscope::test
