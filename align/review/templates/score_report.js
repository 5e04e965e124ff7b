(function(){
  /* The score report: each segment is a group of rows (one per system) that moves and hides
     as one; the first row of a group carries the data (differences, score, flags). */
  var form=document.getElementById('filters'); if(!form) return; form.classList.remove('hidden');
  var body=document.querySelector('table.segments').tBodies[0];
  function val(n){var e=form.elements[n];return e?e.value:'';}
  function groups(){
    var out=[], current=null;
    [].forEach.call(body.rows,function(tr){ if(tr.dataset.row){current={head:tr,rows:[]};out.push(current);} current.rows.push(tr); });
    return out;
  }
  function diff(g){return parseFloat(g.head.dataset['d'+(val('system')||'1')]);}
  function filter(){
    var lo=parseFloat(val('dmin')), hi=parseFloat(val('dmax')), f=val('flag'), t=val('text').toLowerCase();
    var all=groups(), shown=0;
    all.forEach(function(g){
      var d=diff(g), flags=g.head.dataset.flags.split(' ').filter(Boolean), ok=true;
      if(!isNaN(lo)&&!(d>=lo)) ok=false; if(!isNaN(hi)&&!(d<=hi)) ok=false;
      if(f==='any'&&!flags.length) ok=false; if(f==='none'&&flags.length) ok=false;
      if(f&&f!=='any'&&f!=='none'&&flags.indexOf(f)<0) ok=false;
      if(t&&g.rows.map(function(r){return r.textContent;}).join(' ').toLowerCase().indexOf(t)<0) ok=false;
      g.rows.forEach(function(r){r.classList.toggle('hidden',!ok);});
      shown+=ok?1:0;
    });
    document.getElementById('shown').textContent=shown+' of '+all.length+' segments shown';
  }
  function order(){
    var how=val('order'), line=function(g){return parseInt(g.head.dataset.row,10);};
    var key={difference:function(g){return diff(g);}, gain:function(g){return -diff(g);},
             size:function(g){return -Math.abs(diff(g));}, score:function(g){return parseFloat(g.head.dataset.score);},
             line:line}[how]||line;
    var all=groups();
    all.sort(function(a,b){return (key(a)-key(b))||(line(a)-line(b));});
    all.forEach(function(g){g.rows.forEach(function(r){body.appendChild(r);});});
    body.dataset.order=how;
  }
  form.addEventListener('input',filter);
  form.addEventListener('change',function(e){if(e.target.name==='order'||e.target.name==='system') order(); filter();});
  filter();
})();
