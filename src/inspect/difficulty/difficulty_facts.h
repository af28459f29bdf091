// What inspection adds to the facts for routing by capability and cost: the difficulty
// score (when a model is loaded), the requested output tokens and the objective the
// request names in metadata.lanewise_objective.
#pragma once

#include "core/chat_request.h"
#include "core/facts.h"
#include "inspect/difficulty/difficulty_model.h"

namespace lanewise::inspect {

// `model` may be null: the request stays unscored (difficulty -1).
void AddDifficultyFacts(const DifficultyModel* model, const core::ChatRequest& request,
                        core::Facts& facts);

}  // namespace lanewise::inspect
