/*
 * The SCORM API adapter of the VIVEL Academy player: window.API (SCORM 1.2 RTE 3.3) or
 * window.API_1484_11 (SCORM 2004 4th Edition RTE 3.1) on the player page, where a SCO in the frame finds
 * it by walking window.parent.
 *
 * The SCORM API is synchronous, so the adapter keeps a copy of the attempt's data model: GetValue,
 * SetValue checks and the error calls are answered here at once, with the rules of the server's
 * ScormAttemptState (Sources/App/Runtime), whose element table it receives from the runtime endpoint.
 * SetValue calls are buffered and posted as numbered batches on Commit, Terminate, every 30 seconds and
 * when the page is hidden; one batch is in flight at a time and a failed post is retried with the same
 * sequence number (the server applies a batch once). The server is the authority: when it refuses a call
 * the adapter accepted, that error is what the next GetLastError reports, and the adapter takes over the
 * server's values. When the page goes away, everything not yet acknowledged leaves as one last batch
 * (fetch keepalive, else sendBeacon with the CSRF token in the query).
 *
 * Plain ES5 for old authoring-tool content; every text the learner sees comes from the page's data-text-*
 * attributes.
 */
(function (window, document) {
    'use strict';

    var container = document.querySelector('[data-scorm-runtime]');
    if (!container || window.API || window.API_1484_11) { return; }
    var frame = container.querySelector('[data-scorm-frame]');
    var statusLine = container.querySelector('[data-scorm-status]');
    var runtimeURL = container.getAttribute('data-scorm-runtime');
    var launchURL = container.getAttribute('data-scorm-launch');
    var csrf = container.getAttribute('data-scorm-csrf') || '';
    var is12 = container.getAttribute('data-scorm-version') !== '2004';

    var AUTOSAVE_MS = 30000;
    var KEEPALIVE_BYTES = 60000;

    // ---------------------------------------------------------------- messages and events

    function text(name) { return container.getAttribute('data-text-' + name) || ''; }

    var statusTimer = null;
    function showStatus(name, fleeting) {
        if (!statusLine) { return; }
        if (statusTimer) { window.clearTimeout(statusTimer); statusTimer = null; }
        statusLine.textContent = name ? text(name) : '';
        statusLine.hidden = !name;
        container.setAttribute('data-scorm-state', name || 'ready');
        if (name && fleeting) { statusTimer = window.setTimeout(function () { showStatus(null); }, 4000); }
    }

    function announce(name, detail) {
        var event;
        try {
            event = new window.CustomEvent(name, { detail: detail, bubbles: true });
        } catch (e) {
            event = document.createEvent('CustomEvent');
            event.initCustomEvent(name, true, false, detail);
        }
        container.dispatchEvent(event);
    }

    // ---------------------------------------------------------------- value types (CMIValueType)

    function characters(value) {
        var count = 0, i, code;
        for (i = 0; i < value.length; i++) {
            code = value.charCodeAt(i);
            if (code < 0xDC00 || code > 0xDFFF) { count++; }
        }
        return count;
    }

    function decimal(value) {
        return /^-?([0-9]+(\.[0-9]+)?|\.[0-9]+)$/.test(value) ? parseFloat(value) : null;
    }

    function isLanguageTag(value) {
        var parts = value.split('-'), i;
        if (!/^[A-Za-z]{1,8}$/.test(parts[0])) { return false; }
        for (i = 1; i < parts.length; i++) {
            if (!/^[A-Za-z0-9]{1,8}$/.test(parts[i])) { return false; }
        }
        return true;
    }

    function localizedProblem(value, max) {
        var body = value, close;
        if (body.indexOf('{lang=') === 0) {
            close = body.indexOf('}');
            if (close < 0 || !isLanguageTag(body.substring(6, close))) { return 'type'; }
            body = body.substring(close + 1);
        }
        return characters(body) <= max ? null : 'type';
    }

    function secondsField(field) {
        return /^[0-9]{2}(\.[0-9]{1,2})?$/.test(field) ? parseFloat(field) : null;
    }

    function isTimespan12(value) {
        var parts = value.split(':');
        return parts.length === 3 && /^[0-9]{2,4}$/.test(parts[0]) && /^[0-9]{2}$/.test(parts[1]) &&
            parseInt(parts[1], 10) < 60 && secondsField(parts[2]) !== null && secondsField(parts[2]) < 60;
    }

    function isTime12(value) {
        var parts = value.split(':');
        return parts.length === 3 && /^[0-9]{2}$/.test(parts[0]) && parseInt(parts[0], 10) < 24 &&
            /^[0-9]{2}$/.test(parts[1]) && parseInt(parts[1], 10) < 60 &&
            secondsField(parts[2]) !== null && secondsField(parts[2]) < 60;
    }

    function isDuration2004(value) {
        var rest = value, inTime = false, order = 0, seen = false, number, designator, rank, pieces;
        if (rest.charAt(0) !== 'P') { return false; }
        rest = rest.substring(1);
        while (rest.length) {
            if (rest.charAt(0) === 'T') {
                if (inTime) { return false; }
                inTime = true;
                rest = rest.substring(1);
                if (!rest.length) { return false; }
                continue;
            }
            number = /^[0-9.]*/.exec(rest)[0];
            rest = rest.substring(number.length);
            if (!number.length || !rest.length) { return false; }
            designator = rest.charAt(0);
            rest = rest.substring(1);
            if (number.indexOf('.') >= 0) {
                pieces = number.split('.');
                if (designator !== 'S' || !inTime || pieces.length !== 2 || !pieces[0].length ||
                    pieces[1].length < 1 || pieces[1].length > 2) { return false; }
            } else if (!/^[0-9]+$/.test(number)) {
                return false;
            }
            if (!inTime) {
                rank = designator === 'Y' ? 1 : designator === 'M' ? 2 : designator === 'D' ? 3 : 0;
            } else {
                rank = designator === 'H' ? 4 : designator === 'M' ? 5 : designator === 'S' ? 6 : 0;
            }
            if (!rank || rank <= order) { return false; }
            order = rank;
            seen = true;
        }
        return seen;
    }

    function isTimestamp2004(value) {
        var m = /^([0-9]{4})(-([0-9]{2})(-([0-9]{2})(T([0-9]{2})(:([0-9]{2})(:([0-9]{2})(\.[0-9]{1,2})?(Z|[+\-][0-9]{2}(:[0-9]{2})?)?)?)?)?)?)?$/.exec(value);
        if (!m) { return false; }
        function field(i) { return m[i] === undefined || m[i] === '' ? null : parseInt(m[i], 10); }
        var year = field(1);
        if (year < 1970 || year > 2038) { return false; }
        if (field(3) !== null && (field(3) < 1 || field(3) > 12)) { return false; }
        if (field(5) !== null && (field(5) < 1 || field(5) > 31)) { return false; }
        if (field(7) !== null && field(7) > 23) { return false; }
        if (field(9) !== null && field(9) > 59) { return false; }
        if (field(11) !== null && field(11) > 59) { return false; }
        return true;
    }

    function isNavigationRequest(value) {
        var plain = ['continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll', '_none_'];
        var close, target, request;
        if (plain.indexOf(value) >= 0) { return true; }
        if (value.indexOf('{target=') !== 0 || (close = value.indexOf('}')) < 0) { return false; }
        target = value.substring(8, close);
        request = value.substring(close + 1);
        return target.length > 0 && !/\s/.test(target) && (request === 'choice' || request === 'jump');
    }

    /** null, 'type' (type mismatch) or 'range' (out of range). */
    function valueProblem(type, value) {
        var number;
        switch (type.type) {
        case 'string': return characters(value) <= type.max ? null : 'type';
        case 'localized': return localizedProblem(value, type.max);
        case 'identifier': return value.length && characters(value) <= type.max && !/\s/.test(value) ? null : 'type';
        case 'decimal':
            if (value === '') { return type.blank ? null : 'type'; }
            number = decimal(value);
            if (number === null) { return 'type'; }
            if (type.min !== undefined && type.min !== null && number < type.min) { return 'range'; }
            if (type.max !== undefined && type.max !== null && number > type.max) { return 'range'; }
            return null;
        case 'integer':
            if (!/^-?[0-9]+$/.test(value)) { return 'type'; }
            number = parseInt(value, 10);
            return number >= type.min && number <= type.max ? null : 'range';
        case 'vocabulary': return type.words.indexOf(value) >= 0 ? null : 'type';
        case 'vocabularyOrDecimal': return type.words.indexOf(value) >= 0 || decimal(value) !== null ? null : 'type';
        case 'timespan12': return isTimespan12(value) ? null : 'type';
        case 'time12': return isTime12(value) ? null : 'type';
        case 'duration2004': return isDuration2004(value) ? null : 'type';
        case 'timestamp2004': return isTimestamp2004(value) ? null : 'type';
        case 'language': return value === '' || isLanguageTag(value) ? null : 'type';
        case 'navigationRequest': return isNavigationRequest(value) ? null : 'type';
        default: return null;
        }
    }

    // ---------------------------------------------------------------- interaction responses (CMIInteractionResponse)

    function isShortIdentifier(value) { return value.length > 0 && characters(value) <= 250 && !/\s/.test(value); }

    function stripFlags(value, allowed) {
        var rest = value, close, parts;
        while (rest.charAt(0) === '{' && (close = rest.indexOf('}')) >= 0) {
            parts = rest.substring(1, close).split('=');
            if (parts.length >= 2 && parts[0] === 'lang') { break; }
            if (parts.length !== 2 || allowed.indexOf(parts[0]) < 0 || (parts[1] !== 'true' && parts[1] !== 'false')) { return null; }
            rest = rest.substring(close + 1);
        }
        return rest;
    }

    function every(list, test) {
        for (var i = 0; i < list.length; i++) { if (!test(list[i])) { return false; } }
        return true;
    }

    function isValidResponse(value, type, isPattern) {
        var body, list, seen, bounds, low, high;
        switch (type) {
        case 'true-false': return value === 'true' || value === 'false';
        case 'choice':
            if (value === '') { return true; }
            list = value.split('[,]');
            seen = {};
            return every(list, function (choice) {
                if (!isShortIdentifier(choice) || seen.hasOwnProperty(choice)) { return false; }
                seen[choice] = true;
                return true;
            });
        case 'sequencing': return every(value.split('[,]'), isShortIdentifier);
        case 'likert': return isShortIdentifier(value);
        case 'fill-in':
            body = isPattern ? stripFlags(value, ['case_matters', 'order_matters']) : value;
            return body !== null && every(body.split('[,]'), function (item) { return localizedProblem(item, 250) === null; });
        case 'long-fill-in':
            body = isPattern ? stripFlags(value, ['case_matters']) : value;
            return body !== null && localizedProblem(body, 4000) === null;
        case 'matching':
            return every(value.split('[,]'), function (pair) {
                var parts = pair.split('[.]');
                return parts.length === 2 && isShortIdentifier(parts[0]) && isShortIdentifier(parts[1]);
            });
        case 'performance':
            body = isPattern ? stripFlags(value, ['order_matters']) : value;
            return body !== null && every(body.split('[,]'), function (step) {
                var parts = step.split('[.]');
                if (parts.length !== 2 || (parts[0] === '' && parts[1] === '')) { return false; }
                return parts[0] === '' || isShortIdentifier(parts[0]);
            });
        case 'numeric':
            if (!isPattern) { return decimal(value) !== null; }
            bounds = value.split('[:]');
            if (bounds.length !== 2) { return false; }
            low = bounds[0] === '' ? null : decimal(bounds[0]);
            high = bounds[1] === '' ? null : decimal(bounds[1]);
            if ((bounds[0] !== '' && low === null) || (bounds[1] !== '' && high === null)) { return false; }
            return !(low !== null && high !== null && low > high);
        default: return characters(value) <= 4000;
        }
    }

    // ---------------------------------------------------------------- the attempt (ScormAttemptState)

    var NOT_INITIALIZED = 0, RUNNING = 1, TERMINATED = 2;
    var model = null;          // ScormClientModel from the server
    var values = {};
    var counts = {};
    var evaluation = {};       // completionThreshold, scaledPassingScore (SCORM 2004)
    var phase = NOT_INITIALIZED;
    var lastError = 0;
    var lastDiagnostic = '';

    function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

    function Problem(code, diagnostic) { this.code = code; this.diagnostic = diagnostic; }

    function fail(code, diagnostic) {
        lastError = code;
        lastDiagnostic = diagnostic;
        return code;
    }

    function succeed() {
        lastError = 0;
        lastDiagnostic = '';
        return 0;
    }

    /** An element name split into its pattern ("n" for each index) and indices; null when an index is not canonical. */
    function parsePath(element) {
        var components = element.split('.'), pattern = [], indices = [], i, component;
        for (i = 0; i < components.length; i++) {
            component = components[i];
            if (/^[0-9]/.test(component)) {
                if (!/^(0|[1-9][0-9]*)$/.test(component)) { return null; }
                indices.push(parseInt(component, 10));
                pattern.push('n');
            } else {
                pattern.push(component);
            }
        }
        return { components: components, pattern: pattern.join('.'), patternParts: pattern, indices: indices };
    }

    /** The concrete name (or pattern) of the array holding the level-th index. */
    function arrayPrefix(parts, patternParts, level) {
        var seen = -1, result = [], i;
        for (i = 0; i < patternParts.length; i++) {
            if (patternParts[i] === 'n') {
                seen++;
                if (seen === level) { break; }
            }
            result.push(parts[i]);
        }
        return result.join('.');
    }

    function knows(pattern) {
        return has(model.elements, pattern) || has(model.children, pattern) || model.arrays.indexOf(pattern) >= 0;
    }

    function undefinedElement() { return is12 ? 201 : 401; }

    function evaluatedCompletion2004() {
        var progress;
        if (evaluation.completionThreshold !== undefined && evaluation.completionThreshold !== null) {
            progress = has(values, 'cmi.progress_measure') ? decimal(values['cmi.progress_measure']) : null;
            if (progress === null) { return 'unknown'; }
            return progress >= evaluation.completionThreshold ? 'completed' : 'incomplete';
        }
        return has(values, 'cmi.completion_status') ? values['cmi.completion_status'] : 'unknown';
    }

    function evaluatedSuccess2004() {
        var scaled;
        if (evaluation.scaledPassingScore !== undefined && evaluation.scaledPassingScore !== null) {
            scaled = has(values, 'cmi.score.scaled') ? decimal(values['cmi.score.scaled']) : null;
            if (scaled === null) { return 'unknown'; }
            return scaled >= evaluation.scaledPassingScore ? 'passed' : 'failed';
        }
        return has(values, 'cmi.success_status') ? values['cmi.success_status'] : 'unknown';
    }

    function readValue(element) {
        var path, last, parentPattern, parentName, definition, level, array, count;
        if (phase !== RUNNING) {
            if (is12) { throw new Problem(301, 'GetValue outside a session.'); }
            throw phase === NOT_INITIALIZED ? new Problem(122, 'GetValue before Initialize.') : new Problem(123, 'GetValue after Terminate.');
        }
        if (element === '') { throw new Problem(is12 ? 201 : 301, 'No element was named.'); }
        if (!is12 && (element.indexOf('adl.nav.request_valid.choice.{target=') === 0 ||
                      element.indexOf('adl.nav.request_valid.jump.{target=') === 0)) {
            return 'unknown';
        }
        path = parsePath(element);
        if (!path) { throw new Problem(undefinedElement(), element + ' is not a data model element.'); }
        last = path.components[path.components.length - 1];
        if (last === '_children' || last === '_count') {
            parentPattern = path.pattern.substring(0, path.pattern.length - last.length - 1);
            parentName = element.substring(0, element.length - last.length - 1);
            if (!knows(parentPattern)) { throw new Problem(undefinedElement(), parentName + ' is not a data model element.'); }
            if (last === '_children') {
                if (!has(model.children, parentPattern)) { throw new Problem(is12 ? 202 : 301, parentName + ' has no children.'); }
                return model.children[parentPattern];
            }
            if (model.arrays.indexOf(parentPattern) < 0) {
                throw new Problem(is12 ? 203 : 301, parentName + ' is not an array and has no _count.');
            }
            return String(counts[parentName] || 0);
        }
        if (path.pattern === 'cmi._version') { return is12 ? '3.4' : '1.0'; }
        if (!has(model.elements, path.pattern)) { throw new Problem(undefinedElement(), element + ' is not a data model element.'); }
        definition = model.elements[path.pattern];
        if (definition.access === 'w') { throw new Problem(is12 ? 404 : 405, element + ' is write-only.'); }
        for (level = 0; level < path.indices.length; level++) {
            array = arrayPrefix(path.components, path.patternParts, level);
            count = counts[array] || 0;
            if (path.indices[level] >= count) {
                throw new Problem(is12 ? 201 : 301, array + ' has ' + count + ' entries; index ' + path.indices[level] + ' does not exist.');
            }
        }
        if (!is12 && element === 'cmi.completion_status') { return evaluatedCompletion2004(); }
        if (!is12 && element === 'cmi.success_status') { return evaluatedSuccess2004(); }
        if (has(values, element) && values[element] !== null) { return values[element]; }
        if (is12) { return ''; }
        throw new Problem(403, element + ' has no value yet.');
    }

    function dependencyProblem2004(path, element, value) {
        var i, count, interaction, type, isPattern;
        if (path.pattern === 'cmi.objectives.n.id') {
            if (has(values, element) && values[element] !== value) { return new Problem(351, 'An objective id cannot change once set.'); }
            count = counts['cmi.objectives'] || 0;
            for (i = 0; i < count; i++) {
                if (i !== path.indices[0] && values['cmi.objectives.' + i + '.id'] === value) {
                    return new Problem(351, 'Objective id ' + value + ' is already used.');
                }
            }
        } else if (path.pattern === 'cmi.interactions.n.objectives.n.id') {
            interaction = 'cmi.interactions.' + path.indices[0];
            count = counts[interaction + '.objectives'] || 0;
            for (i = 0; i < count; i++) {
                if (i !== path.indices[1] && values[interaction + '.objectives.' + i + '.id'] === value) {
                    return new Problem(351, 'Objective id ' + value + ' is already used in this interaction.');
                }
            }
        } else if (path.pattern === 'cmi.interactions.n.learner_response' ||
                   path.pattern === 'cmi.interactions.n.correct_responses.n.pattern') {
            interaction = 'cmi.interactions.' + path.indices[0];
            if (!has(values, interaction + '.type')) { return new Problem(408, 'Set ' + interaction + '.type before responses.'); }
            type = values[interaction + '.type'];
            isPattern = /\.pattern$/.test(path.pattern);
            if (isPattern && ['true-false', 'likert', 'numeric', 'other'].indexOf(type) >= 0 && path.indices[1] >= 1) {
                return new Problem(351, 'A ' + type + ' interaction has at most 1 correct response.');
            }
            if (!isValidResponse(value, type, isPattern)) {
                return new Problem(406, value.substring(0, 80) + ' is not a valid ' + type + ' response.');
            }
        }
        return null;
    }

    /** Checks and stores a value; returns the array names that gain an entry. */
    function writeValue(element, value) {
        var setFailure = is12 ? 201 : 351, path, last, parentPattern, definition, level, array, count,
            arrayPattern, newEntries = [], problem, i;
        if (phase !== RUNNING) {
            if (is12) { throw new Problem(301, 'SetValue outside a session.'); }
            throw phase === NOT_INITIALIZED ? new Problem(132, 'SetValue before Initialize.') : new Problem(133, 'SetValue after Terminate.');
        }
        if (element === '') { throw new Problem(setFailure, 'No element was named.'); }
        path = parsePath(element);
        if (!path) { throw new Problem(undefinedElement(), element + ' is not a data model element.'); }
        last = path.components[path.components.length - 1];
        if (last === '_children' || last === '_count' || last === '_version') {
            parentPattern = path.pattern.substring(0, path.pattern.length - last.length - 1);
            if (!knows(parentPattern) && path.pattern !== 'cmi._version') {
                throw new Problem(undefinedElement(), element + ' is not a data model element.');
            }
            throw new Problem(is12 ? 402 : 404, element + ' is a keyword and read-only.');
        }
        if (!has(model.elements, path.pattern)) { throw new Problem(undefinedElement(), element + ' is not a data model element.'); }
        definition = model.elements[path.pattern];
        if (definition.access === 'r') { throw new Problem(is12 ? 403 : 404, element + ' is read-only.'); }
        for (level = 0; level < path.indices.length; level++) {
            array = arrayPrefix(path.components, path.patternParts, level);
            count = counts[array] || 0;
            if (path.indices[level] > count) {
                throw new Problem(setFailure, array + ' has ' + count + ' entries; the next one must have index ' + count +
                                  ', not ' + path.indices[level] + '.');
            }
            if (path.indices[level] === count) {
                arrayPattern = arrayPrefix(path.patternParts, path.patternParts, level);
                if (!is12 && (arrayPattern === 'cmi.objectives' || arrayPattern === 'cmi.interactions') &&
                    path.pattern !== arrayPattern + '.n.id') {
                    throw new Problem(408, 'Set ' + array + '.' + path.indices[level] + '.id before other data of that entry.');
                }
                newEntries.push(array);
            }
        }
        problem = valueProblem(definition.value, value);
        if (problem) {
            throw new Problem(is12 ? 405 : (problem === 'range' ? 407 : 406),
                              problem === 'range' ? value + ' is out of range for ' + element + '.'
                                                  : value.substring(0, 80) + ' is not a valid value for ' + element + '.');
        }
        if (!is12) {
            problem = dependencyProblem2004(path, element, value);
            if (problem) { throw problem; }
        }
        for (i = 0; i < newEntries.length; i++) { counts[newEntries[i]] = (counts[newEntries[i]] || 0) + 1; }
        values[element] = value;
    }

    /** Stores a value the adapter already accepted once (after taking over the server's values). */
    function replayValue(element, value) {
        var path = parsePath(element), level, array;
        if (!path) { return; }
        for (level = 0; level < path.indices.length; level++) {
            array = arrayPrefix(path.components, path.patternParts, level);
            if (path.indices[level] === (counts[array] || 0)) { counts[array] = (counts[array] || 0) + 1; }
        }
        values[element] = value;
    }

    // ---------------------------------------------------------------- batches and the server

    var attempt = 0, session = 0, sequence = 0;
    var initializePending = false;
    var pendingCalls = [];
    var queue = [];            // batches not yet acknowledged, oldest first; queue[0] may be in flight
    var inFlight = false;
    var retryDelay = 0;
    var retryTimer = null;
    var retrying = false;
    var stopped = false;
    var leaving = false;
    var courseCompleteShown = false;

    function enqueue(commit, terminate) {
        var tail = queue.length ? queue[queue.length - 1] : null;
        if (!pendingCalls.length && !initializePending && !commit && !terminate) { return; }
        if (tail && !tail.sent && !tail.terminate) {
            // Never sent: the new calls join it under its sequence number.
            tail.initialize = tail.initialize || initializePending;
            tail.calls = tail.calls.concat(pendingCalls);
            tail.commit = tail.commit || commit;
            tail.terminate = terminate;
        } else {
            sequence += 1;
            queue.push({ attempt: attempt, session: session, sequence: sequence, initialize: initializePending,
                         calls: pendingCalls, commit: commit, terminate: terminate });
        }
        initializePending = false;
        pendingCalls = [];
        if (leaving) { sendOnLeave(); } else { pump(); }
    }

    function utf8Length(value) {
        var length = 0, i, code;
        for (i = 0; i < value.length; i++) {
            code = value.charCodeAt(i);
            length += code < 0x80 ? 1 : code < 0x800 ? 2 : (code >= 0xD800 && code <= 0xDFFF) ? 2 : 3;
        }
        return length;
    }

    function post(body, done) {
        var xhr, options;
        if (window.fetch) {
            options = { method: 'POST', credentials: 'same-origin', body: body,
                        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf } };
            if (utf8Length(body) < KEEPALIVE_BYTES) { options.keepalive = true; }
            window.fetch(runtimeURL, options).then(function (response) {
                return response.text().then(function (answer) { done(response.status, answer); });
            }, function () { done(0, ''); });
            return;
        }
        xhr = new window.XMLHttpRequest();
        xhr.open('POST', runtimeURL, true);
        xhr.setRequestHeader('Content-Type', 'application/json');
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.setRequestHeader('X-CSRF-Token', csrf);
        xhr.onreadystatechange = function () {
            if (xhr.readyState === 4) { done(xhr.status, xhr.responseText); }
        };
        xhr.send(body);
    }

    function serialize(batch) {
        return JSON.stringify({ attempt: batch.attempt, session: batch.session, sequence: batch.sequence,
                                initialize: batch.initialize, calls: batch.calls, commit: batch.commit, terminate: batch.terminate });
    }

    function pump() {
        var batch;
        if (inFlight || stopped || retryTimer || !queue.length) { return; }
        batch = queue[0];
        batch.sent = true;
        inFlight = true;
        post(serialize(batch), function (status, answer) {
            var reply = null;
            inFlight = false;
            if (leaving) { return; }
            try { reply = status >= 200 && status < 300 ? JSON.parse(answer) : null; } catch (e) { reply = null; }
            if (reply && reply.result) {
                if (queue[0] === batch) { queue.shift(); }
                retryDelay = 0;
                received(batch, reply);
                if (retrying) { retrying = false; showStatus('saved', true); }
                pump();
            } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
                // Refused for good (signed out, another page took over, no longer enrolled): retrying cannot help.
                stop(status === 409 ? 'superseded' : status === 401 ? 'signed-out' : 'start-failed',
                     'The server refused the data (HTTP ' + status + ').');
            } else {
                // Lost connection or a server error: the same batch again later, under the same sequence number.
                retrying = true;
                showStatus('retrying');
                retryDelay = Math.min(retryDelay ? retryDelay * 2 : 1000, 30000);
                retryTimer = window.setTimeout(function () { retryTimer = null; pump(); }, retryDelay);
            }
        });
    }

    function stop(message, diagnostic) {
        stopped = true;
        queue = [];
        pendingCalls = [];
        showStatus(message);
        fail(is12 ? 101 : 391, diagnostic);
    }

    /** The server's answer to a batch: its refusals become the next GetLastError. */
    function received(batch, reply) {
        var result = reply.result, i, refused = null, call, later, j;
        if (result.disposition === 'stale') { return; }
        for (i = 0; i < (result.calls || []).length; i++) {
            call = result.calls[i];
            if (call.error) { refused = { code: call.error, diagnostic: 'The server refused ' + call.element + ': ' + (call.diagnostic || '') }; }
        }
        if (result.initializeError) { refused = { code: result.initializeError, diagnostic: 'The server refused Initialize.' }; }
        if (result.commitError) { refused = { code: result.commitError, diagnostic: 'The server refused Commit.' }; }
        if (result.terminateError) { refused = { code: result.terminateError, diagnostic: 'The server refused Terminate.' }; }
        if (refused) { fail(refused.code, refused.diagnostic); }
        if (reply.values) {
            values = reply.values;
            counts = reply.counts || {};
            later = [];
            for (i = 0; i < queue.length; i++) { later = later.concat(queue[i].calls); }
            later = later.concat(pendingCalls);
            for (j = 0; j < later.length; j++) { replayValue(later[j].element, later[j].value); }
        }
        announce('scorm:saved', reply);
        if (reply.courseComplete && !courseCompleteShown) {
            courseCompleteShown = true;
            showStatus('course-complete');
        }
    }

    /** Everything not yet acknowledged, as one batch under a new, higher sequence number. */
    function sendOnLeave() {
        var merged, body, i, url;
        if (stopped || !queue.length) { return; }
        merged = { attempt: attempt, session: session, sequence: 0, initialize: false, calls: [], commit: false, terminate: false };
        for (i = 0; i < queue.length; i++) {
            merged.initialize = merged.initialize || queue[i].initialize;
            merged.calls = merged.calls.concat(queue[i].calls);
            merged.commit = merged.commit || queue[i].commit;
            merged.terminate = merged.terminate || queue[i].terminate;
        }
        sequence += 1;
        merged.sequence = sequence;
        merged.sent = true;
        queue = [merged];
        body = serialize(merged);
        if (window.fetch && utf8Length(body) < KEEPALIVE_BYTES) {
            try {
                window.fetch(runtimeURL, { method: 'POST', credentials: 'same-origin', keepalive: true, body: body,
                                           headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } });
                return;
            } catch (e) { /* try the next way */ }
        }
        url = runtimeURL + (runtimeURL.indexOf('?') >= 0 ? '&' : '?') + '_csrf=' + encodeURIComponent(csrf);
        try {
            if (window.navigator.sendBeacon && window.navigator.sendBeacon(url, new window.Blob([body], { type: 'text/plain;charset=UTF-8' }))) {
                return;
            }
        } catch (e) { /* try the next way */ }
        try {
            // Too large for keepalive and beacons: browsers that still allow a synchronous request here get one.
            var xhr = new window.XMLHttpRequest();
            xhr.open('POST', runtimeURL, false);
            xhr.setRequestHeader('Content-Type', 'application/json');
            xhr.setRequestHeader('X-CSRF-Token', csrf);
            xhr.send(body);
        } catch (e) { /* nothing more can be done while the page goes */ }
    }

    function leave() {
        if (leaving || !model) { return; }
        leaving = true;
        if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
        if (pendingCalls.length || initializePending) { enqueue(false, false); } else { sendOnLeave(); }
    }

    window.addEventListener('pagehide', leave);
    window.addEventListener('pageshow', function (event) {
        // Back from the back/forward cache: the last batch may or may not have arrived, so it goes again
        // under its sequence number (the server applies it once).
        if (event.persisted && leaving) {
            leaving = false;
            inFlight = false;
            pump();
        }
    });
    document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'hidden' && pendingCalls.length) { enqueue(false, false); }
    });
    window.setInterval(function () { if (pendingCalls.length && !leaving) { enqueue(false, false); } }, AUTOSAVE_MS);

    // ---------------------------------------------------------------- the API objects

    function answer(code) { return code === 0 ? 'true' : 'false'; }

    function initialize(parameter) {
        if (!model) { return answer(fail(101, 'The runtime has not started.')); }
        if (phase === RUNNING) { return answer(fail(is12 ? 101 : 103, 'Initialize was already called.')); }
        if (phase === TERMINATED) { return answer(fail(is12 ? 101 : 104, 'Terminate was already called.')); }
        if (String(parameter === undefined ? '' : parameter) !== '') { return answer(fail(201, 'The parameter must be an empty string.')); }
        phase = RUNNING;
        initializePending = true;
        return answer(succeed());
    }

    function terminate(parameter) {
        var navigation;
        if (phase !== RUNNING) {
            if (is12) { return answer(fail(301, 'LMSInitialize was not called or LMSFinish was already called.')); }
            return answer(fail(phase === NOT_INITIALIZED ? 112 : 113, phase === NOT_INITIALIZED ? 'Terminate before Initialize.' : 'Terminate was already called.'));
        }
        if (String(parameter === undefined ? '' : parameter) !== '') { return answer(fail(201, 'The parameter must be an empty string.')); }
        navigation = is12 ? null : values['adl.nav.request'];
        phase = TERMINATED;
        if (stopped) { return answer(fail(is12 ? 101 : 111, 'The server no longer accepts data from this page.')); }
        enqueue(false, true);
        succeed();
        announce('scorm:terminated', { navigationRequest: navigation || '_none_' });
        return 'true';
    }

    function commit(parameter) {
        if (phase !== RUNNING) {
            if (is12) { return answer(fail(301, 'LMSCommit outside a session.')); }
            return answer(fail(phase === NOT_INITIALIZED ? 142 : 143, phase === NOT_INITIALIZED ? 'Commit before Initialize.' : 'Commit after Terminate.'));
        }
        if (String(parameter === undefined ? '' : parameter) !== '') { return answer(fail(201, 'The parameter must be an empty string.')); }
        if (stopped) { return answer(fail(is12 ? 101 : 391, 'The server no longer accepts data from this page.')); }
        enqueue(true, false);
        return answer(succeed());
    }

    function getValue(element) {
        var value;
        try {
            value = readValue(String(element === undefined || element === null ? '' : element));
            succeed();
            return value;
        } catch (problem) {
            if (!(problem instanceof Problem)) { throw problem; }
            fail(problem.code, problem.diagnostic);
            return '';
        }
    }

    function setValue(element, value) {
        var name = String(element === undefined || element === null ? '' : element);
        var text = String(value === undefined || value === null ? '' : value);
        try {
            writeValue(name, text);
        } catch (problem) {
            if (!(problem instanceof Problem)) { throw problem; }
            return answer(fail(problem.code, problem.diagnostic));
        }
        pendingCalls.push({ element: name, value: text });
        return answer(succeed());
    }

    function getLastError() { return String(lastError); }

    function getErrorString(code) {
        var key = String(code === undefined || code === null ? '' : code);
        return model && has(model.errorStrings, key) ? model.errorStrings[key] : '';
    }

    function getDiagnostic(code) {
        var key = String(code === undefined || code === null ? '' : code);
        if (key === '' || key === String(lastError)) { return lastDiagnostic; }
        return /^[0-9]+$/.test(key) ? getErrorString(key) : '';
    }

    if (is12) {
        window.API = {
            LMSInitialize: initialize, LMSFinish: terminate, LMSGetValue: getValue, LMSSetValue: setValue,
            LMSCommit: commit, LMSGetLastError: getLastError, LMSGetErrorString: getErrorString,
            LMSGetDiagnostic: getDiagnostic
        };
    } else {
        window.API_1484_11 = {
            version: '1.0',
            Initialize: initialize, Terminate: terminate, GetValue: getValue, SetValue: setValue,
            Commit: commit, GetLastError: getLastError, GetErrorString: getErrorString, GetDiagnostic: getDiagnostic
        };
    }

    // ---------------------------------------------------------------- start

    function start() {
        var xhr = new window.XMLHttpRequest();
        xhr.open('GET', runtimeURL, true);
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.onreadystatechange = function () {
            var data = null;
            if (xhr.readyState !== 4) { return; }
            try { data = xhr.status === 200 ? JSON.parse(xhr.responseText) : null; } catch (e) { data = null; }
            if (!data || !data.model) {
                showStatus(xhr.status === 401 ? 'signed-out' : 'start-failed');
                return;
            }
            model = data.model;
            values = data.values || {};
            counts = data.counts || {};
            evaluation = { completionThreshold: data.completionThreshold, scaledPassingScore: data.scaledPassingScore };
            attempt = data.attempt;
            session = data.session;
            sequence = data.sequence || 0;
            courseCompleteShown = !!data.courseComplete;
            showStatus(null);
            announce('scorm:started', { attempt: attempt, entry: data.entry });
            if (frame) { frame.src = launchURL; }
        };
        xhr.send(null);
    }

    start();
}(window, document));
