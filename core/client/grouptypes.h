#pragma once

// Consumer groups as the client layer delivers them: plain values, no librdkafka.

#include "types.h"

#include <QList>
#include <QPair>
#include <QString>

namespace periscope::client {

struct GroupListing
{
    QString id;
    QString state;       // Kafka's name: "Stable", "Empty", "PreparingRebalance", ...
    bool simple = false; // commits offsets without ever joining (assign() users)
};

struct GroupMember
{
    QString memberId;
    QString clientId;
    QString host;
    QList<QPair<QString, int>> assignment; // topic, partition
};

struct GroupDescription
{
    QString id;
    QString state;
    // librdkafka 2.0.2 does not hand out the protocol type; the assignor names the protocol.
    QString assignor;
    int coordinator = -1; // broker id
    QList<GroupMember> members;
    QString error; // empty when the broker described the group
};

struct GroupOffset
{
    QString topic;
    int partition = 0;
    qint64 offset = -1;
    QString metadata;
    QString error; // empty when this partition's offset was read or written
};

// One group at one refresh of the lag sampler.
struct GroupSample
{
    GroupListing listing;
    GroupDescription description; // members and their assignments
    QList<GroupOffset> committed;
    QString offsetsError; // the committed offsets could not be read
};

// Every group of the cluster at one moment, with the end offsets of every partition any of
// them has committed or been assigned.
struct GroupsSample
{
    qint64 timeMs = 0; // wall clock, ms since the epoch, when the end offsets were read
    QList<GroupSample> groups;
    QList<PartitionOffsets> ends;
};

} // namespace periscope::client
