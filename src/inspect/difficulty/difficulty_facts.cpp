#include "inspect/difficulty/difficulty_facts.h"

#include "inspect/difficulty/request_prompt.h"

namespace lanewise::inspect {

void AddDifficultyFacts(const DifficultyModel* model, const core::ChatRequest& request,
                        core::Facts& facts) {
  if (model != nullptr) facts.difficulty = model->ScoreRequest(request.body);
  facts.max_output_tokens = RequestedMaxTokens(request.body);
  // The front replaces it with the x-lanewise-objective header when there is one.
  facts.objective = std::string(MetadataObjective(request.body));
}

}  // namespace lanewise::inspect
