/* Cell renderers for the dash-ag-grid tables (layouts/grid.py). Every cell is text: React puts
   the value in a text node, never as HTML.
   - PingyiLink: the value as a link to the address in the row's `href` field. A plain left click
     moves within the app as dcc.Link does (pushState + Dash's router event); a click with a
     modifier key, or a middle click, opens a new tab as any link does.
   (A coloured cell that is no link takes its level as a class: layouts/grid.py.) */
(function () {
  "use strict";

  var funcs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

  function shown(props, textField) {
    if (textField && props.data) {
      var t = props.data[textField];
      return t === null || t === undefined ? "" : String(t);
    }
    if (props.valueFormatted !== null && props.valueFormatted !== undefined) {
      return String(props.valueFormatted);
    }
    return props.value === null || props.value === undefined ? "" : String(props.value);
  }

  function levelClass(props, field) {
    var level = field && props.data ? props.data[field] : null;
    return level ? "level-" + level : "";
  }

  funcs.PingyiLink = function (props) {
    var href = props.href && props.data ? props.data[props.href] : null;
    var text = shown(props);
    if (!href) {
      return React.createElement("span", { className: levelClass(props, props.level) }, text);
    }
    return React.createElement(
      "a",
      {
        href: href,
        className: levelClass(props, props.level),
        onClick: function (event) {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
            return;
          }
          event.preventDefault();
          window.history.pushState({}, "", href);
          window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
          window.scrollTo(0, 0);
        },
      },
      text
    );
  };

})();

/* PingyiButton: a button in a cell (layouts/grid.py BUTTON columns). Its label is the column's
   `label`, or the row's `text` field (no label: no button). A click tells Dash which row through
   the grid's cellRendererData prop (dash-ag-grid's setData); the server decides what it may do. */
(function () {
  "use strict";

  var funcs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

  funcs.PingyiButton = function (props) {
    var label = props.text && props.data ? props.data[props.text] : props.label;
    if (!label) {
      return null;
    }
    return React.createElement(
      "button",
      {
        type: "button",
        className: "btn btn-sm btn-outline-primary py-0 grid-button",
        onClick: function () {
          props.setData(props.value);
        },
      },
      String(label)
    );
  };
})();
