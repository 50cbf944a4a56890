#include "topics/topicfilterproxy.h"

#include "topics/topicsmodel.h"

namespace periscope::models {

TopicFilterProxy::TopicFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TopicsModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(TopicsModel::Name);
}

void TopicFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_topics = qobject_cast<TopicsModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void TopicFilterProxy::setPattern(const QString &pattern)
{
    if (pattern == m_pattern)
        return;
    m_pattern = pattern;
    compile();
    invalidateFilter();
}

void TopicFilterProxy::setRegexMode(bool on)
{
    if (on == m_regexMode)
        return;
    m_regexMode = on;
    compile();
    invalidateFilter();
}

void TopicFilterProxy::setHideInternal(bool hide)
{
    if (hide == m_hideInternal)
        return;
    m_hideInternal = hide;
    invalidateFilter();
}

void TopicFilterProxy::compile()
{
    const bool wasValid = m_patternValid;
    m_patternValid = true;
    m_patternError.clear();
    m_regex = QRegularExpression();
    if (m_regexMode && !m_pattern.isEmpty()) {
        m_regex = QRegularExpression(m_pattern, QRegularExpression::CaseInsensitiveOption);
        if (!m_regex.isValid()) {
            m_patternValid = false;
            m_patternError = tr("%1 (at character %2)")
                                 .arg(m_regex.errorString())
                                 .arg(m_regex.patternErrorOffset() + 1);
        } else {
            m_regex.optimize();
        }
    }
    if (wasValid != m_patternValid)
        Q_EMIT patternValidityChanged(m_patternValid);
}

bool TopicFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_patternValid)
        return false;
    // Reading the name from the topic avoids building a QVariant per row.
    QString fallbackName;
    QStringView name;
    bool internal = false;
    if (const client::TopicInfo *topic = m_topics ? m_topics->topicAt(sourceRow) : nullptr) {
        name = topic->name;
        internal = topic->internal;
    } else {
        const QAbstractItemModel *source = sourceModel();
        if (!source)
            return false;
        fallbackName = source->index(sourceRow, TopicsModel::Name, sourceParent).data().toString();
        name = fallbackName;
        internal =
            source->index(sourceRow, TopicsModel::Internal, sourceParent).data(sortRole()).toBool();
    }
    if (m_hideInternal && internal)
        return false;
    if (m_pattern.isEmpty())
        return true;
    if (m_regexMode)
        return m_regex.match(name).hasMatch();
    return name.contains(m_pattern, Qt::CaseInsensitive);
}

} // namespace periscope::models
