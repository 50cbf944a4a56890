// The group coordinator's state machine, driven directly with a fake clock.
#include "groups/groupcoordinator.h"

#include <QTest>

using namespace periscope::broker;

namespace {
struct Recorded
{
    std::optional<JoinResult> join;
    std::optional<std::pair<Error, std::string>> sync;
};

GroupCoordinator::JoinRequest joinRequest(const std::string &member, const char *protocol = "range")
{
    GroupCoordinator::JoinRequest r;
    r.groupId = "g";
    r.memberId = member;
    r.protocolType = "consumer";
    r.protocols = {{protocol, "meta-" + member}};
    r.sessionTimeoutMs = 10000;
    r.rebalanceTimeoutMs = 20000;
    r.clientId = "client";
    return r;
}
} // namespace

class TestBrokerGroups : public QObject
{
    Q_OBJECT

    std::vector<std::vector<NewRecord>> m_persisted;
    std::unique_ptr<GroupCoordinator> m_gc;

    void join(Recorded &rec, const GroupCoordinator::JoinRequest &req, std::int64_t now)
    {
        m_gc->join(req, now, [&rec](const JoinResult &r) { rec.join = r; });
    }
    void sync(Recorded &rec, const std::string &member, int generation,
              const std::map<std::string, std::string> &assignments, std::int64_t now)
    {
        m_gc->sync("g", member, generation, assignments, now,
                   [&rec](Error e, const std::string &a) { rec.sync = std::make_pair(e, a); });
    }

private Q_SLOTS:
    void init()
    {
        m_persisted.clear();
        m_gc = std::make_unique<GroupCoordinator>(
            GroupCoordinator::Options{100, 1000, 1800000},
            [this](const std::string &, const std::vector<NewRecord> &r) {
                m_persisted.push_back(r);
                return true;
            });
    }

    void twoMembersRebalance()
    {
        Recorded a, b;
        join(a, joinRequest(""), 0); // v0-3 style: id assigned at once
        QVERIFY(!a.join);            // waits for the initial delay
        m_gc->tick(50);
        QVERIFY(!a.join);
        m_gc->tick(150);
        QVERIFY(a.join);
        QCOMPARE(a.join->error, Error::None);
        QCOMPARE(a.join->generation, 1);
        const std::string idA = a.join->memberId;
        QCOMPARE(a.join->leaderId, idA);
        QCOMPARE(a.join->members.size(), std::size_t(1));
        sync(a, idA, 1, {{idA, "all"}}, 160);
        QCOMPARE(a.sync->first, Error::None);
        QCOMPARE(a.sync->second, std::string("all"));
        QCOMPARE(m_gc->find("g")->state, GroupState::Stable);

        // B arrives: A learns through its heartbeat and rejoins.
        auto reqB = joinRequest("");
        reqB.requireKnownMemberId = true;
        join(b, reqB, 200);
        QCOMPARE(b.join->error, Error::MemberIdRequired);
        const std::string idB = b.join->memberId;
        b.join.reset();
        join(b, joinRequest(idB), 210);
        QCOMPARE(m_gc->find("g")->state, GroupState::PreparingRebalance);
        QCOMPARE(m_gc->heartbeat("g", idA, 1, 220), Error::RebalanceInProgress);
        a = {};
        join(a, joinRequest(idA), 230);
        QVERIFY(a.join && b.join);
        QCOMPARE(a.join->generation, 2);
        QCOMPARE(a.join->members.size(), std::size_t(2)); // A still leads
        QVERIFY(b.join->members.empty());
        sync(b, idB, 2, {}, 240);
        QVERIFY(!b.sync); // waits for the leader's assignment
        sync(a, idA, 2, {{idA, "p0-2"}, {idB, "p3-5"}}, 250);
        QCOMPARE(b.sync->second, std::string("p3-5"));
        QCOMPARE(a.sync->second, std::string("p0-2"));
        QCOMPARE(m_gc->heartbeat("g", idB, 2, 260), Error::None);
        QCOMPARE(m_gc->heartbeat("g", idB, 1, 260), Error::IllegalGeneration);
        QCOMPARE(m_gc->heartbeat("g", "stranger", 2, 260), Error::UnknownMemberId);

        // B stops heartbeating: after its session time-out A is alone again.
        m_gc->heartbeat("g", idA, 2, 9000);
        m_gc->tick(10300);
        QCOMPARE(m_gc->find("g")->state, GroupState::PreparingRebalance);
        QCOMPARE(m_gc->find("g")->members.size(), std::size_t(1));

        QCOMPARE(m_gc->leave("g", idA, 10400), Error::None);
        QCOMPARE(m_gc->find("g")->state, GroupState::Empty);
    }

    void memberMissingTheRebalanceIsRemoved()
    {
        Recorded a, b;
        join(a, joinRequest(""), 0);
        m_gc->tick(200);
        const std::string idA = a.join->memberId;
        sync(a, idA, 1, {{idA, "x"}}, 200);
        join(b, joinRequest(""), 300);
        // A never rejoins: the rebalance completes at the time-out without it.
        m_gc->tick(300 + 20001);
        QVERIFY(b.join);
        QCOMPARE(b.join->error, Error::None);
        QCOMPARE(m_gc->find("g")->members.size(), std::size_t(1));
        QCOMPARE(b.join->leaderId, b.join->memberId);
    }

    void inconsistentProtocolRefused()
    {
        Recorded a, b;
        join(a, joinRequest(""), 0);
        m_gc->tick(200);
        join(b, joinRequest("", "roundrobin"), 300);
        QCOMPARE(b.join->error, Error::InconsistentGroupProtocol);
    }

    void commitRules()
    {
        std::vector<GroupCoordinator::CommitEntry> entries(1);
        entries[0].tp = {"t", 0};
        entries[0].offset.offset = 42;
        // A standalone commit (no member, generation -1) works on an empty or new group.
        QCOMPARE(m_gc->commit("g", "", -1, entries), Error::None);
        QCOMPARE(m_gc->offsets().get("g", "t", 0)->offset, std::int64_t(42));
        QCOMPARE(m_persisted.size(), std::size_t(1));

        Recorded a;
        join(a, joinRequest(""), 0);
        m_gc->tick(200);
        const std::string idA = a.join->memberId;
        QCOMPARE(m_gc->commit("g", idA, 1, entries),
                 Error::RebalanceInProgress); // before SyncGroup
        sync(a, idA, 1, {{idA, "x"}}, 210);
        entries[0].offset.offset = 50;
        QCOMPARE(m_gc->commit("g", idA, 1, entries), Error::None);
        QCOMPARE(m_gc->commit("g", idA, 0, entries), Error::IllegalGeneration);
        QCOMPARE(m_gc->commit("g", "", -1, entries), Error::UnknownMemberId);
        QCOMPARE(m_gc->deleteGroup("g"), Error::NonEmptyGroup);
        QCOMPARE(m_gc->offsets().get("g", "t", 0)->offset, std::int64_t(50));

        m_gc->leave("g", idA, 300);
        QCOMPARE(m_gc->deleteGroup("g"), Error::None);
        QVERIFY(!m_gc->offsets().get("g", "t", 0));
        QCOMPARE(m_gc->deleteGroup("g"), Error::GroupIdNotFound);
    }

    void offsetsReplayFromRecords()
    {
        std::vector<GroupCoordinator::CommitEntry> entries(2);
        entries[0].tp = {"t", 0};
        entries[0].offset.offset = 7;
        entries[0].offset.metadata = "meta";
        entries[1].tp = {"t", 1};
        entries[1].offset.offset = 9;
        m_gc->commit("g", "", -1, entries);
        std::vector<std::pair<TopicPartitionKey, Error>> which{{{"t", 1}, Error::None}};
        QCOMPARE(m_gc->deleteOffsets("g", which), Error::None);

        // Feed everything written to a fresh store, as a restart does.
        OffsetStore replayed;
        for (const auto &records : m_persisted) {
            const std::string batchBytes = buildBatch(records, 1);
            forEachRecord(reinterpret_cast<const std::uint8_t *>(batchBytes.data()),
                          batchBytes.size(), [&](const Record &r) { replayed.replay(r); });
        }
        QCOMPARE(replayed.get("g", "t", 0)->offset, std::int64_t(7));
        QCOMPARE(replayed.get("g", "t", 0)->metadata, std::string("meta"));
        QVERIFY(!replayed.get("g", "t", 1));
    }

    void deletedTopicsTakeTheirOffsetsAlong()
    {
        for (const char *group : {"g1", "g2", "g3"}) {
            std::vector<GroupCoordinator::CommitEntry> entries;
            for (const char *topic : {"a", "b", "c"})
                for (int p = 0; p < 2; ++p) {
                    auto &e = entries.emplace_back();
                    e.tp = {topic, p};
                    e.offset.offset = 5;
                }
            QCOMPARE(m_gc->commit(group, "", -1, entries), Error::None);
        }
        m_persisted.clear();
        m_gc->topicsDeleted({"a", "c", "never-committed"});
        QCOMPARE(m_persisted.size(), std::size_t(3)); // one write per group
        for (const auto &records : m_persisted)
            QCOMPARE(records.size(), std::size_t(4)); // a-0, a-1, c-0, c-1 tombstones
        for (const char *group : {"g1", "g2", "g3"}) {
            QVERIFY(!m_gc->offsets().get(group, "a", 1));
            QVERIFY(m_gc->offsets().get(group, "b", 1));
            QVERIFY(!m_gc->offsets().get(group, "c", 0));
        }
    }

    void pendingMembersExpireAfterTheirSessionTimeOut()
    {
        // A client that asks for member ids and never comes back.
        std::vector<std::string> ids;
        for (int i = 0; i < 100; ++i) {
            Recorded r;
            auto req = joinRequest("");
            req.requireKnownMemberId = true;
            req.sessionTimeoutMs = 10000 + i;
            join(r, req, 1000);
            QCOMPARE(r.join->error, Error::MemberIdRequired);
            ids.push_back(r.join->memberId);
        }
        QCOMPARE(m_gc->find("g")->pendingMembers.size(), std::size_t(100));
        m_gc->tick(1000 + 10000 - 1);
        QCOMPARE(m_gc->find("g")->pendingMembers.size(), std::size_t(100));
        m_gc->tick(1000 + 10050);
        QCOMPARE(m_gc->find("g")->pendingMembers.size(), std::size_t(49));
        m_gc->tick(1000 + 10100);
        QCOMPARE(m_gc->find("g")->pendingMembers.size(), std::size_t(0));
        // An expired id is as unknown as any other.
        Recorded late;
        join(late, joinRequest(ids.front()), 1000 + 10100);
        QCOMPARE(late.join->error, Error::UnknownMemberId);
    }

    void pendingMembersAreBounded()
    {
        m_gc = std::make_unique<GroupCoordinator>(
            GroupCoordinator::Options{100, 1000, 1800000, 50},
            [](const std::string &, const std::vector<NewRecord> &) { return true; });
        std::vector<std::string> ids;
        for (int i = 0; i < 120; ++i) {
            Recorded r;
            auto req = joinRequest("");
            req.requireKnownMemberId = true;
            join(r, req, i);
            ids.push_back(r.join->memberId);
        }
        QCOMPARE(m_gc->find("g")->pendingMembers.size(), std::size_t(50));
        // The oldest went first; the newest id still joins.
        Recorded oldest, newest;
        join(oldest, joinRequest(ids.front()), 200);
        QCOMPARE(oldest.join->error, Error::UnknownMemberId);
        join(newest, joinRequest(ids.back()), 200);
        QVERIFY(!newest.join); // accepted: waits for the rebalance
        QCOMPARE(m_gc->find("g")->members.size(), std::size_t(1));
        QCOMPARE(m_gc->find("g")->pendingMembers.size(), std::size_t(49));
    }

    void protocolSelectionFollowsKafkasRule()
    {
        // Candidates are the protocols every member supports; each member votes for its
        // first candidate; the most votes win.
        auto withProtocols = [](const std::string &member, std::vector<std::string> names) {
            auto r = joinRequest(member);
            r.protocols.clear();
            for (auto &n : names)
                r.protocols.push_back({n, "meta-" + n});
            return r;
        };
        Recorded a, b, c;
        join(a, withProtocols("", {"sticky", "range", "roundrobin"}), 0);
        join(b, withProtocols("", {"roundrobin", "range"}), 1);
        join(c, withProtocols("", {"cooperative", "roundrobin", "range"}), 2);
        m_gc->tick(200);
        QVERIFY(a.join && b.join && c.join);
        // sticky and cooperative are not everyone's; a votes range, b and c roundrobin.
        QCOMPARE(a.join->protocolName, std::string("roundrobin"));
        const auto &members = (a.join->leaderId == a.join->memberId ? a : b).join->members;
        for (const auto &m : members)
            QCOMPARE(m.metadata, std::string("meta-roundrobin"));
    }

    void largeGroupRebalances()
    {
        // 1000 members offering 1000 protocols each. All but one share 998 of them; the last
        // member (last in id order too) offers 998 others: only the two listed at the end
        // are everyone's. Comparing each member's list with every other member's takes
        // about 10^12 steps here (hours); counting support per protocol keeps every join and
        // the selection linear in what the members sent.
        constexpr int kMembers = 1000;
        constexpr int kProtocols = 1000;
        std::vector<Recorded> rec(kMembers);
        for (int i = 0; i < kMembers; ++i) {
            const bool odd = i == kMembers - 1;
            auto req = joinRequest("");
            req.clientId = odd ? std::string("z") : "c" + std::to_string(i);
            req.protocols.clear();
            for (int p = 0; p < kProtocols - 2; ++p)
                req.protocols.push_back({(odd ? "u" : "s") + std::to_string(p), ""});
            const bool prefersBeta = i % 3 == 0;
            req.protocols.push_back({prefersBeta ? "beta" : "alpha", "x"});
            req.protocols.push_back({prefersBeta ? "alpha" : "beta", "x"});
            join(rec[static_cast<std::size_t>(i)], req, i / 100);
        }
        const Group *g = m_gc->find("g");
        QCOMPARE(g->members.size(), std::size_t(kMembers));
        QCOMPARE(g->protocolSupport.at("alpha"), std::size_t(kMembers));
        QCOMPARE(g->protocolSupport.at("s7"), std::size_t(kMembers - 1));
        m_gc->tick(1000);
        for (const auto &r : rec) {
            QVERIFY(r.join);
            QCOMPARE(r.join->error, Error::None);
            QCOMPARE(r.join->protocolName, std::string("alpha")); // 667 votes to 333
        }
        // A member leaving takes its protocols out of the count.
        QCOMPARE(m_gc->leave("g", rec.back().join->memberId, 1100), Error::None);
        QCOMPARE(m_gc->find("g")->protocolSupport.at("beta"), std::size_t(kMembers - 1));
        QCOMPARE(m_gc->find("g")->protocolSupport.count("u0"), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestBrokerGroups)
#include "tst_broker_groups.moc"
