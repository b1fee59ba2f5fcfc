// The FAQ bot's center-wide settings (README "FAQ bot"): which answer provider composes
// its answers (the key is never answered, only whether it is set), and trying a question.
import { request } from 'kefu/http.mjs';

const PATH = '/api/v1/admin/answer-provider';

export const answerProvider = () => request('GET', PATH);
export const setAnswerProvider = (settings) => request('PUT', PATH, settings);
export const tryQuestion = (question, threshold) => request('POST', `${PATH}/test`, { question, threshold });
